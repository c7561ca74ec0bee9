package io.stenographer.client.cdi;

import io.stenographer.client.AuditClient;
import io.stenographer.client.Event;
import io.stenographer.client.Receipt;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.security.Principal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Logs each call of an {@link Audited} method through the application's {@link AuditClient}. */
@Audited(action = "")
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 100)
public class AuditedInterceptor {

    static final String ANONYMOUS = "anonymous";
    /** Security exceptions of the common stacks, matched by name so this module needs none of them. */
    private static final Set<String> DENIALS = Set.of("ForbiddenException", "UnauthorizedException",
            "AuthenticationFailedException", "AccessDeniedException", "NotAuthorizedException",
            "AuthenticationRequiredException");
    private static final System.Logger LOG = System.getLogger(AuditedInterceptor.class.getName());

    private final AuditClient audit;
    private final Instance<Principal> principal;

    @Inject
    public AuditedInterceptor(AuditClient audit, @Any Instance<Principal> principal) {
        this.audit = audit;
        this.principal = principal;
    }

    @AroundInvoke
    public Object audit(InvocationContext invocation) throws Exception {
        Audited audited = bindingOf(invocation.getMethod());
        String resourceId = resourceId(audited, invocation);
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable e) {
            // Errors too (a stack overflow half-way through an export): the call may have done part of its work.
            try {
                record(audited, resourceId, invocation.getMethod(), isDenial(e) ? Event.Outcome.DENIED
                        : Event.Outcome.FAILURE);
            } catch (Throwable auditFailed) {
                e.addSuppressed(auditFailed);
            }
            throw e;
        }
        record(audited, resourceId, invocation.getMethod(), Event.Outcome.SUCCESS);
        return result;
    }

    private void record(Audited audited, String resourceId, Method method, Event.Outcome outcome) {
        Event.Builder event = Event.builder(audited.action()).actor(currentUser()).outcome(outcome)
                .metadata(Map.of("method", method.getDeclaringClass().getSimpleName() + "." + method.getName()));
        if (!audited.resourceType().isEmpty()) {
            event.resource(audited.resourceType(), resourceId);
        }
        if (audited.waitForReceipt()) {
            audit.logAndWait(event.build());
            return;
        }
        CompletableFuture<Receipt> receipt = audit.log(event.build());
        receipt.whenComplete((done, failure) -> {
            if (failure != null) {
                // Nobody waits on this future: say it where operators look.
                LOG.log(System.Logger.Level.ERROR, "audit event " + audited.action() + " of " + method
                        + " was not recorded", failure);
            }
        });
    }

    /**
     * The first container principal with a name. A container may offer several Principal beans, with qualifiers
     * (Quarkus with OIDC has the security identity's and the token's), and only those of the current login have
     * one.
     */
    private String currentUser() {
        for (Principal user : principal) {
            if (user != null && user.getName() != null && !user.getName().isBlank()) {
                return user.getName();
            }
        }
        return ANONYMOUS;
    }

    private static Audited bindingOf(Method method) {
        Audited onMethod = method.getAnnotation(Audited.class);
        if (onMethod != null) {
            return onMethod;
        }
        Audited onClass = method.getDeclaringClass().getAnnotation(Audited.class);
        if (onClass == null) {
            throw new IllegalStateException("@Audited not found on " + method);
        }
        return onClass;
    }

    private static String resourceId(Audited audited, InvocationContext invocation) {
        if (audited.resourceId().isEmpty()) {
            return null;
        }
        Parameter[] parameters = invocation.getMethod().getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].getName().equals(audited.resourceId())) {
                Object value = invocation.getParameters()[i];
                return value == null ? null : String.valueOf(value);
            }
        }
        throw new IllegalStateException("@Audited(resourceId = \"" + audited.resourceId() + "\") names no parameter"
                + " of " + invocation.getMethod() + " (compile with -parameters to keep parameter names)");
    }

    static boolean isDenial(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SecurityException) {
                return true;
            }
            for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
                if (DENIALS.contains(type.getSimpleName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
