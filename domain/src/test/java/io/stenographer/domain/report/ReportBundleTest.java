package io.stenographer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.report.bundle.ReportBundleVerification;
import io.stenographer.domain.report.bundle.ReportBundleVerifier;
import io.stenographer.domain.report.bundle.ReportBundleWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class ReportBundleTest {

    private static final byte[] SECRET = new byte[32];

    private static ReportFixture log() {
        ReportFixture log = new ReportFixture();
        for (int i = 0; i < 6; i++) {
            log.add("user-" + (i % 2), i % 2 == 0 ? "case.view" : "case.export", "C-" + i,
                    i == 3 ? Outcome.DENIED : Outcome.SUCCESS, i == 4 ? null : "ticket " + i,
                    ReportFixture.T0.plusSeconds(i), ReportRulesTest.json("{\"ssn\":\"00" + i + "\",\"n\":" + i + "}"));
        }
        return log;
    }

    private static byte[] bundle(ReportFixture log, Redactor redactor) throws Exception {
        ReportFixture.Built built = log.build(ReportType.FOIA_EXPORT,
                ReportParameters.period(ReportFixture.T0, ReportFixture.T0.plusSeconds(3600)), ReportFormat.BUNDLE,
                redactor);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportBundleWriter.write(built.document(), built.events(), body -> log.signer.sign(body), out);
        return out.toByteArray();
    }

    private static ReportBundleVerification verify(ReportFixture log, byte[] zip) throws Exception {
        return new ReportBundleVerifier(log.signer.verifier(), ReportFixture.ORIGIN)
                .verify(new ByteArrayInputStream(zip));
    }

    @Test
    void aBundleVerifiesAndIsAnOrdinaryZip() throws Exception {
        ReportFixture log = log();
        byte[] zip = bundle(log, null);
        ReportBundleVerification result = verify(log, zip);
        assertThat(result.failures()).isEmpty();
        assertThat(result.events()).isEqualTo(6);
        assertThat(result.redacted()).isZero();
        assertThat(result.summary()).startsWith("OK: report r-1: 6 events");

        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
                byte[] content = in.readAllBytes();
                if (entry.getName().equals("report.json")) {
                    assertThat(JsonParser.parse(new String(content, StandardCharsets.UTF_8).trim(), 64)).isNotNull();
                }
                if (entry.getName().equals("VERIFY.txt")) {
                    assertThat(new String(content, StandardCharsets.UTF_8)).contains("verify-report-bundle");
                }
            }
        }
        assertThat(names).containsExactly("VERIFY.txt", "checkpoint.txt", "verifier-key.txt", "report.json",
                "events.ndjson", "MANIFEST.note");
    }

    @Test
    void changingAnySingleByteIsDetected() throws Exception {
        ReportFixture log = log();
        byte[] zip = bundle(log, null);
        for (int position = 0; position < zip.length; position++) {
            for (int flip : new int[] {0x01, 0x80}) {
                byte[] changed = zip.clone();
                changed[position] ^= (byte) flip;
                ReportBundleVerification result = verify(log, changed);
                assertThat(result.ok()).as("byte %d of %d xor %d", position, zip.length, flip).isFalse();
                assertThat(result.failures()).isNotEmpty();
            }
        }
    }

    @Test
    void failuresNameWhatBroke() throws Exception {
        ReportFixture log = log();
        byte[] zip = bundle(log, null);
        ReportBundleVerification appended = verify(log, concat(zip, new byte[] {0}));
        assertThat(appended.failures()).anySatisfy(f -> assertThat(f).contains("central directory"));
        ReportBundleVerification truncated = verify(log, Arrays.copyOf(zip, zip.length / 2));
        assertThat(truncated.failures()).anySatisfy(f -> assertThat(f).startsWith("zip: "));
        NoteSigner stranger = new NoteSigner("stenographer.test", Ed25519Keys.generate().getPrivate());
        ReportBundleVerification wrongKey = new ReportBundleVerifier(stranger.verifier(), null)
                .verify(new ByteArrayInputStream(zip));
        assertThat(wrongKey.failures()).anySatisfy(f -> assertThat(f).startsWith("checkpoint.txt: the signature"))
                .anySatisfy(f -> assertThat(f).startsWith("MANIFEST.note: the signature"));
        ReportBundleVerification wrongOrigin = new ReportBundleVerifier(log.signer.verifier(), "other/log")
                .verify(new ByteArrayInputStream(zip));
        assertThat(wrongOrigin.failures()).singleElement().asString().contains("not the expected origin");
    }

    @Test
    void redactedEventsVerifyAsSignedButCarryNoLeafHashOrProof() throws Exception {
        ReportFixture log = log();
        byte[] zip = bundle(log, new Redactor(List.of("metadata.ssn"), true, SECRET));
        ReportBundleVerification result = verify(log, zip);
        assertThat(result.failures()).isEmpty();
        assertThat(result.redacted()).isEqualTo(6);
        assertThat(result.unproven()).isEqualTo(6);
        assertThat(result.summary()).contains("6 without inclusion proof");
        String events = entry(zip, "events.ndjson");
        assertThat(events).doesNotContain("\"ssn\"", "user-0", "svc-portal", "leafHash", "inclusionProof")
                .contains("\"redactions\"");
    }

    static String entry(byte[] zip, String name) throws Exception {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no entry " + name);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
