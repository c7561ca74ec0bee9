package io.stenographer.bootstrap.client;

import io.stenographer.client.AuditClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The AuditClient bean of the test application: the test starts it against the running test instance (whose port
 * is known only once it runs), and the @Audited interceptor gets it injected like any application's would.
 */
@ApplicationScoped
public class TestAuditClients {

    private final AtomicReference<AuditClient> current = new AtomicReference<>();

    /** Makes {@code client} the bean (null: none), closing the one before. */
    public void use(AuditClient client) {
        AuditClient previous = current.getAndSet(client);
        if (previous != null) {
            previous.close();
        }
    }

    @Produces
    @Dependent
    AuditClient client() {
        AuditClient client = current.get();
        if (client == null) {
            throw new IllegalStateException("the test has not started its AuditClient yet");
        }
        return client;
    }
}
