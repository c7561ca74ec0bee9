package io.stenographer.bootstrap.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.adapters.persistence.embedded.EmbeddedPostgresServer;
import io.stenographer.application.port.out.AppendEventsPort;
import io.stenographer.application.port.out.EventStoreContractTest;
import io.stenographer.application.port.out.LoadEventsPort;
import io.stenographer.application.port.out.SearchEventsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.json.CanonicalJson;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * The event-store contract against the PostgreSQL adapter and real PostgreSQL 17, with the ports injected by
 * their types and every call in the production {@link TransactionRunner}; plus what only this store has, the
 * rows themselves.
 *
 * <p>It is a {@code @QuarkusTest} in {@code bootstrap}, not a plain test in {@code adapters-persistence}: the
 * adapter reads and writes through a Panache repository, whose methods Quarkus generates at build time, and
 * its transactions are Quarkus's JTA ones (docs/ARCHITECTURE.md, "Tests where the code is").
 */
@QuarkusTest
class PostgresEventStoreContractTest extends EventStoreContractTest {

    @Inject
    AppendEventsPort appendEvents;
    @Inject
    LoadEventsPort loadEvents;
    @Inject
    SearchEventsPort searchEvents;
    @Inject
    TransactionRunner transactions;

    @Override
    protected Store store() {
        return new Store(appendEvents, loadEvents, searchEvents, transactions);
    }

    @Test
    void aFullEventIsStoredAsCanonicalJsonWithItsMicrosecondTimesAndLeafHash() throws SQLException {
        AuditEvent event = fullEvent(uniqueTenant());

        append(event);

        try (Connection connection = EmbeddedPostgresTestResource.server().connectionAs(
                        EmbeddedPostgresServer.APP_ROLE);
                PreparedStatement select = connection.prepareStatement(
                        "SELECT metadata, leaf_hash, received_at, occurred_at FROM audit_event WHERE id = ?")) {
            select.setObject(1, event.id().value());
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                String storedMetadata = row.getString("metadata");
                assertThat(storedMetadata).isEqualTo(CanonicalJson.canonicalize(event.content().metadata()));
                assertThat(storedMetadata).startsWith("{\"alpha\":{\"empty\":{},\"list\":[-0.5,\"two\",true,null,")
                        .contains("1e+21");
                assertThat(row.getBytes("leaf_hash")).isEqualTo(event.leafHash().bytes());
                assertThat(row.getObject("received_at", OffsetDateTime.class).toInstant())
                        .isEqualTo(event.receivedAt());
                assertThat(row.getObject("occurred_at", OffsetDateTime.class).toInstant())
                        .isEqualTo(event.content().occurredAt());
            }
        }
    }
}
