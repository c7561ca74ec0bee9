package io.stenographer.client.cdi;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Every call of the method (or of every method of the class) is an audit event, logged through the application's
 * {@link io.stenographer.client.AuditClient} bean:
 *
 * <pre>{@code
 * @Audited(action = "case.export", resourceType = "case", resourceId = "caseId")
 * public byte[] export(String caseId) { ... }
 * }</pre>
 *
 * The actor is the authenticated user (the container's {@code java.security.Principal}), the outcome is
 * {@code success} when the method returns, {@code denied} when it throws a security exception, {@code failure}
 * otherwise. The event is queued after the method ran; if the queue refuses it, the call fails with the client's
 * exception instead of returning as if it had been audited. An event the client later finds invalid or cannot
 * deliver is reported to the client's {@link io.stenographer.client.FailureListener}; with
 * {@link #waitForReceipt()} the call itself fails.
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Audited {

    /** The action, dotted lower case, e.g. {@code case.export}. */
    @Nonbinding
    String action();

    /** The resource type, e.g. {@code case}; empty for none. */
    @Nonbinding
    String resourceType() default "";

    /**
     * The name of the method parameter holding the resource id (compile with {@code -parameters}, as Quarkus
     * does); empty for none.
     */
    @Nonbinding
    String resourceId() default "";

    /** Wait for the service's receipt before the call returns; default: queue it and return. */
    @Nonbinding
    boolean waitForReceipt() default false;
}
