package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checkpoint history against the real log_checkpoint table: newest first, below a size, one tenant only. */
class PostgresCheckpointHistoryTest {

    private static final Instant T0 = Instant.parse("2026-02-10T09:00:00Z");
    private static final NoteSigner SIGNER = new NoteSigner("stenographer.test/log", Ed25519Keys.generate().getPrivate());

    private final PostgresMerkleLog log = new PostgresMerkleLog(MigratedPostgres.session());
    private final TransactionRunner transactions = MigratedPostgres.transactions();
    private final TenantId tenant = new TenantId("cph-" + UUID.randomUUID().toString().substring(0, 12));
    private final TenantId other = new TenantId("cph-" + UUID.randomUUID().toString().substring(0, 12));

    @BeforeEach
    void publish() throws Exception {
        try (Connection app = MigratedPostgres.appConnection()) {
            for (long size : new long[] {3, 10, 17, 250, 1000}) {
                insert(app, tenant, size);
            }
            insert(app, other, 5);
            insert(app, other, 500);
        }
    }

    @Test
    void newestFirstBelowTheGivenSize() {
        assertThat(sizes(Long.MAX_VALUE, 10)).containsExactly(1000L, 250L, 17L, 10L, 3L);
        assertThat(sizes(Long.MAX_VALUE, 2)).containsExactly(1000L, 250L);
        assertThat(sizes(250, 2)).containsExactly(17L, 10L);
        assertThat(sizes(10, 2)).containsExactly(3L);
        assertThat(sizes(3, 2)).isEmpty();
    }

    @Test
    void eachCheckpointReadsBackAsPublished() {
        PublishedCheckpoint newest = transactions.inTransaction(() -> log.newestBelow(tenant, Long.MAX_VALUE, 1))
                .get(0);
        assertThat(newest.tenant()).isEqualTo(tenant);
        assertThat(newest.treeSize()).isEqualTo(1000);
        assertThat(newest.checkpoint().rootHash()).isEqualTo(root(1000));
        assertThat(newest.publishedAt()).isEqualTo(T0.plusSeconds(1000));
        assertThat(newest.signedNote()).startsWith(newest.checkpoint().body());
    }

    @Test
    void anotherTenantsCheckpointsAreNotInTheHistory() {
        assertThat(transactions.inTransaction(() -> log.newestBelow(other, Long.MAX_VALUE, 10)))
                .extracting(PublishedCheckpoint::treeSize).containsExactly(500L, 5L);
        assertThat(transactions.inTransaction(() -> log.newestBelow(new TenantId("cph-none"), Long.MAX_VALUE, 10)))
                .isEmpty();
    }

    private List<Long> sizes(long below, int limit) {
        return transactions.inTransaction(() -> log.newestBelow(tenant, below, limit)).stream()
                .map(PublishedCheckpoint::treeSize).toList();
    }

    private static Hash root(long size) {
        byte[] bytes = new byte[Hash.LENGTH];
        bytes[0] = (byte) size;
        bytes[1] = (byte) (size >> 8);
        return new Hash(bytes);
    }

    private static void insert(Connection app, TenantId tenant, long size) throws Exception {
        Checkpoint checkpoint = Checkpoint.of("stenographer.test/" + tenant.value(), size, root(size));
        try (PreparedStatement insert = app.prepareStatement("INSERT INTO log_checkpoint (tenant, tree_size,"
                + " root_hash, signed_note, published_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, tenant.value());
            insert.setLong(2, size);
            insert.setBytes(3, root(size).bytes());
            insert.setString(4, SIGNER.sign(checkpoint.body()).serialize());
            insert.setObject(5, OffsetDateTime.ofInstant(T0.plusSeconds(size), ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }
}
