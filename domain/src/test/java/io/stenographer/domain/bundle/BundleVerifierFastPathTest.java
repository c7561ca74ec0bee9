package io.stenographer.domain.bundle;

import static io.stenographer.domain.bundle.BundleFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.CanonicalJsonValidatorTest;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.MerkleHashes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Entry lines accepted from their bytes give exactly the findings of the full checks, on any damage. */
class BundleVerifierFastPathTest {

    private static final int SIZE = 40;
    private static final BundleFixture LOG = new BundleFixture(SIZE, 11);

    private static BundleVerification verify(byte[] bundle, int workers, boolean fastPath) {
        try {
            return new BundleVerifier(LOG.signer.verifier(), BundleFixture.ORIGIN)
                    .verify(new ByteArrayInputStream(bundle), workers, fastPath);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> lines(byte[] bundle) {
        List<byte[]> lines = new ArrayList<>();
        for (String line : text(bundle).split("\n", -1)) {
            lines.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static byte[] join(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                out.write('\n');
            }
            out.writeBytes(lines.get(i));
        }
        return out.toByteArray();
    }

    @Test
    void acceptsEveryEntryLineOfAFaithfulBundleAndNothingElse() {
        List<byte[]> lines = lines(LOG.bundle(0, SIZE, i -> i % 7 == 2));
        EntryLineFastPath fastPath = new EntryLineFastPath("acme", SIZE, LOG.tree.root(), new ConsecutiveProofRoots());
        assertThat(fastPath.accept(lines.get(0))).isNull(); // header
        for (int i = 0; i < SIZE; i++) {
            EntryLineFastPath.Accepted accepted = fastPath.accept(lines.get(i + 1));
            assertThat(accepted).as("line %d", i + 2).isNotNull();
            assertThat(accepted.index()).isEqualTo(i);
            assertThat(accepted.eventId()).isEqualTo(i % 7 == 2 ? null : LOG.events.get(i).id().toString());
        }
        assertThat(fastPath.accept(lines.get(SIZE + 1))).isNull(); // end line
    }

    @Test
    void refusesEntriesOfAnotherTenantOrUnderAnotherRoot() {
        byte[] entry = lines(LOG.bundle(0, SIZE, i -> false)).get(5);
        assertThat(new EntryLineFastPath("globex", SIZE, LOG.tree.root(), new ConsecutiveProofRoots())
                .accept(entry)).isNull();
        BundleFixture other = new BundleFixture(SIZE, 12);
        assertThat(new EntryLineFastPath("acme", SIZE, other.tree.root(), new ConsecutiveProofRoots())
                .accept(entry)).isNull();
    }

    @Test
    void anUnverifiedCheckpointGetsTheFullChecksEvenWhenItsProofsHold() {
        // The same tree signed by a key nobody trusts: each entry still proves out, but only the full checks run.
        NoteSigner stranger = new NoteSigner(BundleFixture.ORIGIN, Ed25519Keys.generate().getPrivate());
        String header = text(LOG.bundle(0, 3, i -> false)).split("\n")[0];
        String forged = io.stenographer.domain.checkpoint.Checkpoint.of(BundleFixture.ORIGIN, SIZE, LOG.tree.root())
                .sign(stranger).serialize();
        JsonObject json = (JsonObject) JsonParser.parse(header, 64);
        Map<String, JsonValue> members = new LinkedHashMap<>(json.members());
        members.put("checkpoint", new JsonString(forged));
        byte[] bundle = BundleFixture.bytes(text(LOG.bundle(0, 3, i -> false))
                .replace(header, CanonicalJson.canonicalize(new JsonObject(members))));
        assertThat(verify(bundle, 1, true)).isEqualTo(verify(bundle, 1, false));
        assertThat(verify(bundle, 1, true).failures()).hasSize(1);
    }

    @Property(tries = 1000)
    void theFastPathFindsExactlyWhatTheFullChecksFind(@ForAll long seed,
                                                      @ForAll @IntRange(min = 0, max = 4) int damages,
                                                      @ForAll @IntRange(min = 1, max = 3) int workers) {
        Random random = new Random(seed);
        int from = random.nextInt(SIZE);
        int to = from + random.nextInt(SIZE - from + 1);
        int purgeEvery = 2 + random.nextInt(6);
        List<byte[]> lines = lines(LOG.bundle(from, to, i -> i % purgeEvery == 0));
        for (int i = 0; i < damages; i++) {
            damage(lines, random);
        }
        byte[] bundle = join(lines);
        BundleVerification full = verify(bundle, 1, false);
        assertThat(verify(bundle, workers, true)).isEqualTo(full);
        if (damages == 0) {
            assertThat(full.failures()).isEmpty();
        }
    }

    private static final Pattern NUMBER = Pattern.compile("\"(index|page)\":(\\d+)");

    private static void damage(List<byte[]> lines, Random random) {
        // Entry lines mostly; the header and end line sometimes.
        int n = random.nextInt(10) == 0 ? random.nextInt(lines.size()) : 1 + random.nextInt(Math.max(1, lines.size() - 2));
        n = Math.min(n, lines.size() - 1);
        byte[] line = lines.get(n);
        String text = new String(line, StandardCharsets.UTF_8);
        switch (random.nextInt(10)) {
            case 0 -> { // flip a bit anywhere, the event included
                if (line.length > 0) {
                    byte[] flipped = line.clone();
                    flipped[random.nextInt(line.length)] ^= (byte) (1 << random.nextInt(8));
                    lines.set(n, flipped);
                }
            }
            case 1 -> { // whitespace
                int at = random.nextInt(text.length() + 1);
                lines.set(n, utf8(text.substring(0, at) + " \t\r".charAt(random.nextInt(3)) + text.substring(at)));
            }
            case 2 -> reorderMembers(lines, n, text, random);
            case 3 -> { // an ASCII letter as an equivalent \\u escape (equivalent inside strings only)
                for (int tries = 0; tries < 20 && !text.isEmpty(); tries++) {
                    int at = random.nextInt(text.length());
                    char c = text.charAt(at);
                    if (c < 0x80 && Character.isLetter(c)) {
                        lines.set(n, utf8(text.substring(0, at) + String.format("\\u%04x", (int) c)
                                + text.substring(at + 1)));
                        return;
                    }
                }
            }
            case 4 -> { // a number as 1.0 or 1e0
                Matcher matcher = NUMBER.matcher(text);
                if (matcher.find()) {
                    String respelt = matcher.group(2) + (random.nextBoolean() ? ".0" : "e0");
                    lines.set(n, utf8(text.substring(0, matcher.start(2)) + respelt + text.substring(matcher.end(2))));
                }
            }
            case 5 -> { // a duplicated member, in the event or the entry
                int brace = text.indexOf('{', random.nextBoolean() ? 1 : 0);
                int comma = brace < 0 ? -1 : text.indexOf(",\"", brace);
                if (comma > 0) {
                    lines.set(n, utf8(text.substring(0, comma) + "," + text.substring(brace + 1, comma)
                            + text.substring(comma)));
                }
            }
            case 6 -> lines.set(n, Arrays.copyOf(line, random.nextInt(line.length + 1))); // truncated
            case 7 -> { // the event altered and its leaf hash recomputed: hash holds, proof does not
                rehashedEvent(lines, n, text);
            }
            case 8 -> { // lines lost, repeated or swapped
                int other = random.nextInt(lines.size());
                switch (random.nextInt(3)) {
                    case 0 -> lines.remove(n);
                    case 1 -> lines.add(other, line);
                    default -> Collections.swap(lines, n, other);
                }
            }
            default -> lines.set(n, CanonicalJsonValidatorTest.damage(line, random));
        }
    }

    private static void reorderMembers(List<byte[]> lines, int n, String text, Random random) {
        JsonObject object;
        try {
            object = (JsonObject) JsonParser.parse(text, 64);
        } catch (RuntimeException notAnObject) {
            return;
        }
        List<Map.Entry<String, JsonValue>> members = new ArrayList<>(object.members().entrySet());
        Collections.shuffle(members, random);
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, JsonValue> member : members) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(CanonicalJson.canonicalize(new JsonString(member.getKey()))).append(':');
            JsonValue value = member.getValue();
            if (member.getKey().equals("event") && value instanceof JsonObject event) {
                List<Map.Entry<String, JsonValue>> eventMembers = new ArrayList<>(event.members().entrySet());
                Collections.shuffle(eventMembers, random);
                StringBuilder e = new StringBuilder("{");
                for (Map.Entry<String, JsonValue> m : eventMembers) {
                    if (e.length() > 1) {
                        e.append(',');
                    }
                    e.append(CanonicalJson.canonicalize(new JsonString(m.getKey()))).append(':')
                            .append(CanonicalJson.canonicalize(m.getValue()));
                }
                out.append(e).append('}');
            } else {
                out.append(CanonicalJson.canonicalize(value));
            }
        }
        lines.set(n, utf8(out.append('}').toString()));
    }

    private static void rehashedEvent(List<byte[]> lines, int n, String text) {
        JsonObject entry;
        try {
            entry = (JsonObject) JsonParser.parse(text, 64);
        } catch (RuntimeException notAnObject) {
            return;
        }
        if (!(entry.get("event") instanceof JsonObject event)) {
            return;
        }
        Map<String, JsonValue> eventMembers = new LinkedHashMap<>(event.members());
        eventMembers.put("correlationId", new JsonString("forged"));
        JsonObject altered = new JsonObject(eventMembers);
        Map<String, JsonValue> members = new LinkedHashMap<>(entry.members());
        members.put("event", altered);
        members.put("leafHash", new JsonString(MerkleHashes.leafHash(CanonicalJson.canonicalBytes(altered)).hex()));
        lines.set(n, utf8(CanonicalJson.canonicalize(new JsonObject(members))));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
