package io.stenographer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.report.bundle.ReportBundleWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A public-records recipient holds a list of 1,000 candidate actor ids (the organisation's staff list,
 * which includes the real actors), knows the display-name pattern and the submitting service, and tries
 * to learn who stands behind each pseudonym of a default FOIA export bundle.
 */
class RedactionDictionaryAttackTest {

    private static final List<String> REAL = List.of("user-17", "user-523", "user-999");
    private static final Pattern HASH = Pattern.compile("\"([0-9a-f]{64}|[A-Za-z0-9+/]{43}=)\"");

    private final ReportFixture log = new ReportFixture();
    private final byte[] secret = new byte[32];
    private final String events;
    private final String everything;

    RedactionDictionaryAttackTest() throws Exception {
        for (int i = 0; i < 12; i++) {
            log.add(REAL.get(i % REAL.size()), "case.view", "C-" + i, Outcome.SUCCESS, "ticket " + i,
                    ReportFixture.T0.plusSeconds(i), null);
        }
        new SecureRandom().nextBytes(secret);
        ReportParameters defaults = ReportParameters.period(ReportFixture.T0, ReportFixture.T0.plusSeconds(60));
        Redactor redactor = new Redactor(defaults.redactFields(), defaults.pseudonymiseActors(), secret);
        ReportFixture.Built built = log.build(ReportType.FOIA_EXPORT, defaults, ReportFormat.BUNDLE, redactor);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportBundleWriter.write(built.document(), built.events(), body -> log.signer.sign(body), out);
        byte[] zip = out.toByteArray();
        events = ReportBundleTest.entry(zip, "events.ndjson");
        everything = events + ReportBundleTest.entry(zip, "report.json")
                + ReportBundleTest.entry(zip, "checkpoint.txt") + ReportBundleTest.entry(zip, "MANIFEST.note");
    }

    private static List<String> dictionary() {
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            candidates.add("user-" + i);
        }
        assertThat(candidates).containsAll(REAL);
        return candidates;
    }

    @Test
    void pseudonymsCannotBeMatchedAgainstHashesOfCandidateIds() throws Exception {
        Set<String> published = new HashSet<>();
        for (String line : events.split("\n")) {
            JsonObject event = (JsonObject) ((JsonObject) JsonParser.parse(line.getBytes(StandardCharsets.UTF_8), 40))
                    .get("event");
            published.add(ReportJson.string(event, "actor.id"));
            published.add(ReportJson.string(event, "submittedBy"));
        }
        assertThat(published).allMatch(p -> p.matches("p-[0-9a-f]{16}"));
        int identified = 0;
        for (String candidate : dictionary()) {
            for (byte[] guessedKey : List.of(new byte[0], new byte[32], "stenographer".getBytes(StandardCharsets.UTF_8))) {
                for (boolean separator : new boolean[] {true, false}) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    sha.update(guessedKey);
                    if (separator) {
                        sha.update((byte) 0);
                    }
                    sha.update(candidate.getBytes(StandardCharsets.UTF_8));
                    if (published.contains("p-" + HexFormat.of().formatHex(sha.digest(), 0, 8))) {
                        identified++;
                    }
                }
            }
        }
        assertThat(identified).isZero();
        // Only the per-report secret, which the export never contains, links a pseudonym to an id.
        assertThat(everything).doesNotContain(HexFormat.of().formatHex(secret));
        assertThat(published).contains(new Redactor(List.of(), true, secret).pseudonym(REAL.get(0)));
    }

    @Test
    void noPublishedHashLetsACandidateEventBeRecomputedAndCompared() {
        assertThat(events).doesNotContain("leafHash", "inclusionProof");
        Set<Hash> published = new HashSet<>();
        Matcher m = HASH.matcher(everything);
        while (m.find()) {
            String text = m.group(1);
            published.add(text.length() == 64 ? Hash.fromHex(text) : Hash.fromBase64(text));
        }
        published.add(log.tree().root());
        List<String> candidates = dictionary();
        int identified = 0;
        int recomputedReal = 0;
        for (String line : events.split("\n")) {
            JsonObject entry = (JsonObject) JsonParser.parse(line.getBytes(StandardCharsets.UTF_8), 40);
            long index = (long) ((JsonNumber) entry.get("index")).value();
            JsonObject event = (JsonObject) entry.get("event");
            AuditEvent original = log.events.get((int) index);
            for (String candidate : candidates) {
                Hash guess = MerkleHashes.leafHash(CanonicalJson.canonicalBytes(guessed(event, candidate)));
                if (published.contains(guess)) {
                    identified++;
                }
                if (guess.equals(original.leafHash())) {
                    recomputedReal++;
                }
            }
        }
        assertThat(identified).isZero();
        // The guess itself is right for every event: only the withheld hashes stop the attack.
        assertThat(recomputedReal).isEqualTo(12);
    }

    /** The attacker's reconstruction of the sealed event with a candidate actor. */
    private static JsonObject guessed(JsonObject published, String candidate) {
        Map<String, JsonValue> top = new LinkedHashMap<>(published.members());
        Map<String, JsonValue> actor = new LinkedHashMap<>(((JsonObject) top.get("actor")).members());
        actor.put("id", new JsonString(candidate));
        actor.put("displayName", new JsonString("Name of " + candidate));
        top.put("actor", new JsonObject(actor));
        top.put("submittedBy", new JsonString("svc-portal"));
        return new JsonObject(top);
    }
}
