package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.IntegrateEventsUseCase.IntegrationRound;
import io.stenographer.application.port.out.AppendLogPort;
import io.stenographer.application.port.out.LoadPendingEventsPort;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemorySigningKeys;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogOrigins;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntegrateEventsServiceTest {

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final List<TenantId> asked = new ArrayList<>();

    /** Two tenants have pending events; reading acme's fails with an error that is not an integrity violation. */
    private final LoadPendingEventsPort queue = new LoadPendingEventsPort() {
        @Override
        public List<TenantId> tenantsWithPendingEvents(Optional<TenantId> after, int max) {
            return List.of(ACME, GLOBEX);
        }

        @Override
        public Set<TenantId> tryLockSequencers(Collection<TenantId> tenants) {
            return Set.copyOf(tenants);
        }

        @Override
        public Map<TenantId, List<PendingLeaf>> pendingLeaves(Collection<TenantId> tenants, int limitEach) {
            asked.addAll(tenants);
            if (tenants.contains(ACME)) {
                throw new IllegalStateException("a row acme's adapter cannot read");
            }
            return Map.of();
        }
    };

    @Test
    void anUnexpectedErrorInOneTenantNeverStopsTheTenantsAfterIt() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
        NoteSigner key = new NoteSigner("test", Ed25519Keys.generate().getPrivate());
        SignCheckpointPort signer = new SignCheckpointPort() {
            @Override
            public SignedNote sign(Checkpoint checkpoint) {
                throw new AssertionError("nothing is integrated, so nothing is signed");
            }

            @Override
            public NoteVerifier verifier() {
                return key.verifier();
            }
        };
        IntegrateEventsService service = new IntegrateEventsService(queue, new InMemoryLog(transactions),
                unused(AppendLogPort.class), signer, new InMemorySigningKeys(),
                new SelfAudit(new InMemoryEventStore(transactions), clock, new SplittableRandom(1), StoredIdentifiers.AS_GIVEN), transactions,
                clock, new LogOrigins("test"), new SequencerLimits(100, Duration.ofSeconds(1)));

        IntegrationRound round = service.integratePending();

        // Both tenants together first; when that group fails, each alone, so globex is still served.
        assertThat(asked).containsExactly(ACME, GLOBEX, ACME, GLOBEX);
        assertThat(round.failed()).containsOnlyKeys(ACME);
        assertThat(round.failed().get(ACME)).contains("IllegalStateException", "cannot read");
        assertThat(round.refused()).isEmpty();
        assertThat(transactions.rolledBack()).isEqualTo(2);
        assertThat(transactions.committed()).as("tenants due, then globex alone").isEqualTo(2);
    }

    private static <T> T unused(Class<T> port) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            throw new AssertionError(port.getSimpleName() + "." + method.getName() + " must not be called");
        }));
    }
}
