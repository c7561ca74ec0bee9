package io.stenographer.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.ExportLogCommand;
import io.stenographer.application.port.in.ExportLogUseCase.ExportPlan;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemorySigningKeys;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestDrafts;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.TenantId;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExportLogServiceTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(5);

    private final SignCheckpointPort signing = new SignCheckpointPort() {
        @Override
        public SignedNote sign(Checkpoint checkpoint) {
            return log.signer().sign(checkpoint.body());
        }

        @Override
        public NoteVerifier verifier() {
            return log.signer().verifier();
        }
    };

    private final ExportLogService service = new ExportLogService(log,
            new SelfAudit(new InMemoryEventStore(transactions), clock, random, StoredIdentifiers.AS_GIVEN),
            new TenantKeySets(signing, new InMemorySigningKeys().with(ACME, KeySet.single(log.signer().verifier()))),
            transactions);

    @Test
    void theBundleIsWrittenOutsideEveryTransactionSoASlowReaderHoldsNoConnection() throws Exception {
        int events = 1_200; // three chunks
        for (int i = 0; i < events; i++) {
            log.append(TestEvents.event(ACME, "case.view", "C-" + i, NOW, random));
        }
        log.publishCheckpoint(ACME, NOW);
        ExportPlan plan = service.plan(new ExportLogCommand(TestDrafts.auditor("auditor-1", ACME), ACME, null, null));
        List<Integer> transactionsOpenAtWrites = new ArrayList<>();
        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        OutputStream client = new OutputStream() {
            @Override
            public void write(int b) {
                transactionsOpenAtWrites.add(transactions.current());
                bundle.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                transactionsOpenAtWrites.add(transactions.current());
                bundle.write(b, off, len);
            }
        };

        service.write(plan, client);

        assertThat(transactionsOpenAtWrites).isNotEmpty().containsOnly(0);
        String text = bundle.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().count()).as("a header, every entry and an end line").isEqualTo(events + 2);
    }
}
