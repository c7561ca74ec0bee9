package io.stenographer.domain.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.merkle.MerkleTree;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentCodecTest {

    private static final TenantId TENANT = TenantId.of("acme");
    private final InMemoryMerkleTree tree = new InMemoryMerkleTree();
    private final List<SegmentEntry> all = new ArrayList<>();

    SegmentCodecTest() {
        SplittableRandom random = new SplittableRandom(7);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 12; i++) {
            Instant at = start.plusSeconds(i);
            EventDraft draft = new EventDraft(TENANT, new Actor("user-" + i, ActorType.USER, null),
                    Action.of("case.view"), new ResourceRef("case", "c-" + i), "because " + i, Outcome.SUCCESS, at,
                    new Source("portal", null, null), null, new JsonObject(Map.of("n", new JsonString("é" + i))), null);
            AuditEvent event = AuditEvent.record(EventId.newTimeOrdered(at, random), at, "writer", draft);
            tree.append(event.leafHash());
            all.add(new SegmentEntry(i, event.leafHash(), event));
        }
    }

    private SegmentManifest manifest(List<SegmentEntry> entries, byte[] object) {
        List<Hash> hashes = entries.stream().map(SegmentEntry::leafHash).toList();
        String note = Checkpoint.of("example/acme", tree.size(), tree.root())
                .sign(new NoteSigner("example/acme", Ed25519Keys.generate().getPrivate())).serialize();
        return new SegmentManifest(TENANT, SegmentKeys.segmentKey(TENANT, entries.get(0).index()),
                entries.get(0).index(), entries.get(entries.size() - 1).index() + 1, SegmentCheck.sha256Hex(object),
                MerkleTree.root(hashes), tree.size(), note,
                List.of(new SegmentManifest.PolicyRef("default", 1, "HIPAA 164.316(b)(2)")),
                Instant.parse("2033-01-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"));
    }

    private Map<Long, Hash> treeLeaves(long from, long to) {
        Map<Long, Hash> leaves = new HashMap<>();
        for (long i = from; i < to; i++) {
            leaves.put(i, tree.leafHash(i));
        }
        return leaves;
    }

    @Test
    void roundTripsEveryEntryAndPassesTheCheck() {
        List<SegmentEntry> entries = all.subList(3, 9);
        byte[] object = SegmentCodec.encode(entries);
        List<SegmentEntry> decoded = SegmentCodec.decode(new ByteArrayInputStream(object));

        assertThat(decoded).isEqualTo(entries);
        assertThat(SegmentCheck.problems(manifest(entries, object), object, decoded, treeLeaves(3, 9))).isEmpty();
    }

    @Test
    void eachLineIsTheCanonicalFormOfItsJsonTreeByteForByte() throws Exception {
        // Lines are written as bytes (the event as its leaf input); they must be what canonicalising the documented
        // line object gives, so anyone can re-derive them (docs/FORMATS.md).
        byte[] object = SegmentCodec.encode(all);
        String text = new String(new java.util.zip.GZIPInputStream(new ByteArrayInputStream(object)).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertThat(text).endsWith("\n");
        assertThat(lines).hasSize(all.size());
        for (int i = 0; i < all.size(); i++) {
            SegmentEntry entry = all.get(i);
            Map<String, io.stenographer.domain.json.JsonValue> members = new java.util.LinkedHashMap<>();
            members.put("index", new io.stenographer.domain.json.JsonNumber(entry.index()));
            members.put("leafHash", new JsonString(entry.leafHash().hex()));
            members.put("event", io.stenographer.domain.event.SealedEventFormat.toJson(entry.event()));
            String canonical = new String(io.stenographer.domain.json.CanonicalJson.canonicalBytes(
                    new JsonObject(members)), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(lines.get(i)).isEqualTo(canonical);
        }
    }

    @Test
    void theManifestSurvivesItsOwnJson() {
        byte[] object = SegmentCodec.encode(all);
        SegmentManifest manifest = manifest(all, object);

        assertThat(SegmentManifest.parse(manifest.toCanonicalBytes())).isEqualTo(manifest);
        assertThat(new String(manifest.toCanonicalBytes())).contains("\"count\":12", "\"format\":\"stenographer.segment-manifest/v1\"");
    }

    @Test
    void refusesGapsWhenEncoding() {
        List<SegmentEntry> gapped = List.of(all.get(0), all.get(2));
        assertThatThrownBy(() -> SegmentCodec.encode(gapped)).hasMessageContaining("expected index 1, got 2");
    }

    @Test
    void aChangedObjectFailsItsChecksum() {
        byte[] object = SegmentCodec.encode(all);
        SegmentManifest manifest = manifest(all, object);
        byte[] other = SegmentCodec.encode(all.subList(0, 11));

        assertThat(SegmentCheck.problems(manifest, other, SegmentCodec.decode(new ByteArrayInputStream(other)), Map.of()))
                .anySatisfy(p -> assertThat(p).contains("SHA-256"))
                .anySatisfy(p -> assertThat(p).contains("holds 11 entries"));
    }

    @Test
    void anEventThatNoLongerMatchesItsLeafHashIsNamed() {
        List<SegmentEntry> forged = new ArrayList<>(all);
        SegmentEntry victim = all.get(5);
        forged.set(5, new SegmentEntry(5, victim.leafHash(), all.get(6).event()));
        byte[] object = SegmentCodec.encode(forged);

        assertThat(SegmentCheck.problems(manifest(all, object), object, forged, treeLeaves(0, 12)))
                .anySatisfy(p -> assertThat(p).startsWith("index 5 (event " + all.get(6).event().id()));
    }

    @Test
    void aSegmentThatDisagreesWithTheTreeIsNamed() {
        byte[] object = SegmentCodec.encode(all);
        Map<Long, Hash> tampered = treeLeaves(0, 12);
        tampered.put(4L, all.get(9).leafHash());

        assertThat(SegmentCheck.problems(manifest(all, object), object, all, tampered))
                .singleElement().satisfies(p -> assertThat(p).startsWith("index 4").contains("log's tree holds"));
    }

    @Test
    void garbageIsAMalformedSegmentNotACrash() {
        assertThatThrownBy(() -> SegmentCodec.decode(new ByteArrayInputStream(new byte[] {1, 2, 3})))
                .isInstanceOf(SegmentCodec.MalformedSegment.class);
    }

    @Test
    void keysDependOnlyOnTenantAndFirstIndex() {
        assertThat(SegmentKeys.segmentKey(TENANT, 42)).isEqualTo("segments/acme/00000000000000000042.ndjson.gz");
        assertThat(SegmentKeys.manifestKey(SegmentKeys.segmentKey(TENANT, 42)))
                .isEqualTo("segments/acme/00000000000000000042.ndjson.gz.manifest.json");
    }
}
