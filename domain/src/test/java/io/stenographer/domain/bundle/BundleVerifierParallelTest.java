package io.stenographer.domain.bundle;

import static io.stenographer.domain.bundle.BundleFixture.bytes;
import static io.stenographer.domain.bundle.BundleFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The parallel pass (lines checked in batches on worker threads) finds exactly what the one-thread pass finds. */
class BundleVerifierParallelTest {

    /** More entries than three batches, so findings cross batch and worker boundaries. */
    private static final int SIZE = 3 * BundleVerifier.BATCH_LINES + 77;
    private static final BundleFixture LOG = new BundleFixture(SIZE, 7);
    private static final byte[] BUNDLE = LOG.bundle(0, SIZE, i -> i % 11 == 3);

    private static BundleVerification verify(byte[] bundle, int workers) {
        try {
            return new BundleVerifier(LOG.signer.verifier(), BundleFixture.ORIGIN)
                    .verify(new ByteArrayInputStream(bundle), workers);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Line n (1-based) with proof hash {@code hash} replaced by another valid hash, the line kept canonical. */
    private static String withProofHash(List<String> lines, int n, int hash, String base64) {
        JsonObject entry = (JsonObject) JsonParser.parse(lines.get(n - 1), 64);
        List<JsonValue> path = new ArrayList<>(((JsonArray) entry.get("inclusionProof")).elements());
        path.set(hash, new JsonString(base64));
        Map<String, JsonValue> members = new LinkedHashMap<>(entry.members());
        members.put("inclusionProof", new JsonArray(path));
        return CanonicalJson.canonicalize(new JsonObject(members));
    }

    @Test
    void theWholeBundleVerifiesOnAnyNumberOfThreads() {
        for (int workers : new int[] {1, 2, 3, 8}) {
            BundleVerification result = verify(BUNDLE, workers);
            assertThat(result.failures()).as("%d workers", workers).isEmpty();
            assertThat(result.entries()).isEqualTo(SIZE);
        }
    }

    @Test
    void aDamagedUpperProofHashInTheMiddleIsNamedAtItsLine() {
        List<String> lines = BundleFixture.lines(BUNDLE);
        int entry = 1000; // line 1002; its neighbours share its upper proof hashes
        int hashes = ((JsonArray) ((JsonObject) JsonParser.parse(lines.get(entry + 1), 64)).get("inclusionProof"))
                .elements().size();
        lines.set(entry + 1, withProofHash(lines, entry + 2, hashes - 1, LOG.tree.leafHash(5).base64()));
        for (int workers : new int[] {1, 2}) {
            assertThat(verify(BundleFixture.join(lines), workers).failures()).as("%d workers", workers).singleElement().asString()
                    .startsWith("line 1002: entry index 1000 (event ")
                    .endsWith("): inclusion proof does not lead to the root of checkpoint size " + SIZE);
        }
    }

    @Test
    void aSwappedPairOfEntriesAcrossABatchBoundaryIsCaught() {
        List<String> lines = BundleFixture.lines(BUNDLE);
        int first = BundleVerifier.BATCH_LINES; // lines 512 and 513 land in different batches
        String kept = lines.get(first - 1);
        lines.set(first - 1, lines.get(first));
        lines.set(first, kept);
        List<String> failures = verify(BundleFixture.join(lines), 2).failures();
        assertThat(failures).isEqualTo(verify(BundleFixture.join(lines), 1).failures()).isNotEmpty();
        assertThat(failures.get(0)).startsWith("line 512: entry index 511 (").contains(
                "index 511 where index 510 was expected: entries must run contiguously from 0");
    }

    @Test
    void stopsAtTheFailureLimitWithTheSameFindingsAndCounts() {
        String damaged = text(BUNDLE).replace("\"reason\":\"court order 2026/", "\"reason\":\"court order 2027/");
        BundleVerification parallel = verify(bytes(damaged), 2);
        assertThat(parallel).isEqualTo(verify(bytes(damaged), 1));
        assertThat(parallel.stoppedEarly()).isTrue();
        assertThat(parallel.failures()).hasSize(BundleVerifier.MAX_FAILURES + 1);
    }

    @Property(tries = 40)
    void parallelAndSequentialPassesFindTheSameAfterRandomDamage(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 6) int damages, @ForAll @IntRange(min = 2, max = 5) int workers) {
        Random random = new Random(seed);
        List<String> lines = BundleFixture.lines(BUNDLE);
        for (int d = 0; d < damages; d++) {
            int n = 1 + random.nextInt(lines.size() - 1); // 1-based, never the trailing empty piece
            switch (random.nextInt(6)) {
                case 0 -> { // flip one byte of a line
                    byte[] line = bytes(lines.get(n - 1));
                    if (line.length > 0) {
                        line[random.nextInt(line.length)] ^= (byte) (1 << random.nextInt(7));
                        lines.set(n - 1, text(line));
                    }
                }
                case 1 -> lines.remove(n - 1);
                case 2 -> lines.add(n - 1, lines.get(random.nextInt(lines.size() - 1)));
                case 3 -> { // swap two lines
                    int m = 1 + random.nextInt(lines.size() - 1);
                    String kept = lines.get(n - 1);
                    lines.set(n - 1, lines.get(m - 1));
                    lines.set(m - 1, kept);
                }
                case 4 -> { // a valid-looking but wrong proof hash
                    if (lines.get(n - 1).contains("\"inclusionProof\":[\"")) {
                        JsonObject entry = (JsonObject) JsonParser.parse(lines.get(n - 1), 64);
                        int size = ((JsonArray) entry.get("inclusionProof")).elements().size();
                        lines.set(n - 1, withProofHash(lines, n, random.nextInt(size),
                                LOG.tree.leafHash(random.nextInt(SIZE)).base64()));
                    }
                }
                default -> lines.set(n - 1, lines.get(n - 1).replace("\"type\":\"entry\"", "\"type\":\"entri\""));
            }
        }
        byte[] damaged = BundleFixture.join(lines);
        BundleVerification sequential = verify(damaged, 1);
        assertThat(verify(damaged, workers)).isEqualTo(sequential);
        assertThat(sequential.ok()).isEqualTo(Arrays.equals(damaged, BUNDLE)); // every real change is found
    }
}
