package io.stenographer.bootstrap.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold of a tenant's log after any crash, read from the database as its superuser and through the
 * service's own API: gapless indices, every event integrated exactly once, every stored checkpoint signed and on
 * one chain, a clean full verification, and consistency with what was published before.
 */
public final class LogChecks {

    /** A checkpoint as a client saw it; size 0 when none was published yet. */
    public record SeenCheckpoint(long treeSize, String rootHash, String signedNote) {
    }

    private LogChecks() {
    }

    /** Waits until every stored event of each tenant is covered by a signed checkpoint. */
    public static void awaitEverythingIntegrated(Connection db, List<String> tenants, Duration deadline) {
        for (String tenant : tenants) {
            Await.until("every stored event of " + tenant + " in a signed checkpoint", deadline,
                    () -> count(db, "select count(*) from audit_event where tenant = ?", tenant)
                            == count(db, "select coalesce(max(tree_size), 0) from log_checkpoint where tenant = ?",
                                    tenant));
        }
    }

    /** Indices exactly 0..n-1, each stored event in exactly one leaf, and the checkpoints on one signed chain. */
    public static void assertGaplessOnceAndOneChain(Connection db, String tenant, NoteVerifier verifier)
            throws SQLException {
        long leaves = count(db, "select count(*) from log_leaf where tenant = ?", tenant);
        assertThat(count(db, "select coalesce(max(leaf_index) + 1, 0) from log_leaf where tenant = ?", tenant))
                .as("leaf indices of %s are exactly 0..n-1", tenant).isEqualTo(leaves);
        assertThat(count(db, "select count(*) from audit_event where tenant = ?", tenant))
                .as("every stored event of %s is a leaf", tenant).isEqualTo(leaves);
        assertThat(count(db, "select count(*) from (select event_id from log_leaf where tenant = ?"
                + " group by event_id having count(*) > 1) twice", tenant))
                .as("events of %s integrated more than once", tenant).isZero();
        long previousSize = -1;
        try (PreparedStatement checkpoints = db.prepareStatement(
                "select tree_size, signed_note from log_checkpoint where tenant = ? order by tree_size")) {
            checkpoints.setString(1, tenant);
            try (ResultSet row = checkpoints.executeQuery()) {
                while (row.next()) {
                    long size = row.getLong(1);
                    assertThat(size).as("checkpoint sizes of %s strictly increase", tenant).isGreaterThan(previousSize);
                    assertThat(verifier.verify(SignedNote.parse(row.getString(2))))
                            .as("signature of the checkpoint of %s at size %d", tenant, size).isTrue();
                    previousSize = size;
                }
            }
        }
        assertThat(previousSize).as("latest checkpoint of %s covers every leaf", tenant).isEqualTo(leaves);
    }

    /** Runs a full verification through the API; it rebuilds the tree and checks every stored checkpoint. */
    public static void assertVerifiesClean(Api api, String adminToken, String tenant) {
        HttpResponse<String> answer = api.post("/api/v1/logs/" + tenant + "/verifications", adminToken, "{}");
        JsonNode report = Api.json(answer);
        assertThat(report.path("ok").asBoolean()).as("full verification of %s: %s", tenant, report).isTrue();
        assertThat(report.get("findings")).as("findings for %s", tenant).isEmpty();
    }

    /** @param token of any role on the tenant: its checkpoint is not public by default */
    public static SeenCheckpoint latestCheckpoint(Api api, String token, String tenant) {
        HttpResponse<String> response = api.get("/api/v1/logs/" + tenant + "/checkpoint", token,
                "application/json");
        if (response.statusCode() == 404) {
            return new SeenCheckpoint(0, null, null);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Api.json(response);
        return new SeenCheckpoint(body.get("treeSize").asLong(), body.get("rootHash").asText(),
                body.get("signedNote").asText());
    }

    /** The checkpoint seen {@code before} is a prefix of the one seen {@code now}, by a proof the service serves. */
    public static void assertConsistent(Api api, String auditorToken, NoteVerifier verifier, String tenant,
            SeenCheckpoint before, SeenCheckpoint now) {
        assertThat(verifier.verify(SignedNote.parse(now.signedNote()))).as("new checkpoint's signature").isTrue();
        if (before.treeSize() == 0) {
            return;
        }
        assertThat(verifier.verify(SignedNote.parse(before.signedNote()))).as("old checkpoint's signature").isTrue();
        JsonNode answer = Api.json(api.get("/api/v1/logs/" + tenant + "/proof/consistency?from=" + before.treeSize()
                + "&to=" + now.treeSize(), auditorToken));
        assertThat(answer.get("fromRootHash").asText()).as("root of %s at size %d, before and after",
                tenant, before.treeSize()).isEqualTo(before.rootHash());
        List<Hash> path = new ArrayList<>();
        answer.get("proof").forEach(hash -> path.add(Hash.fromBase64(hash.asText())));
        assertThat(new ConsistencyProof(before.treeSize(), now.treeSize(), path)
                .verify(Hash.fromBase64(before.rootHash()), Hash.fromBase64(now.rootHash())))
                .as("checkpoint of %s at %d is consistent with the one at %d", tenant, before.treeSize(),
                        now.treeSize())
                .isTrue();
    }

    /** Client event ids stored more than once across {@code tenants}: a re-send must never make a second copy. */
    public static long secondCopies(Connection db, List<String> tenants) {
        return count(db, "select count(*) from (select 1 from audit_event where tenant = any(?::text[])"
                + " and client_event_id is not null group by tenant, client_event_id having count(*) > 1) twice",
                "{" + String.join(",", tenants) + "}");
    }

    public static long count(Connection db, String sql, String parameter) {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
