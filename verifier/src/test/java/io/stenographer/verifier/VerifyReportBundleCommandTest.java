package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.report.Redactor;
import io.stenographer.domain.report.ReportDefinition;
import io.stenographer.domain.report.ReportDocument;
import io.stenographer.domain.report.ReportEntry;
import io.stenographer.domain.report.ReportEvents;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportHeader;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportType;
import io.stenographer.domain.report.bundle.ReportBundleWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify-report-bundle on a real report bundle, and on copies with one byte changed in every region. */
class VerifyReportBundleCommandTest {

    private static final LogFixture LOG = new LogFixture(30);

    @TempDir
    static Path dir;
    private static Path bundle;
    private static byte[] bytes;

    @BeforeAll
    static void writeBundle() throws IOException {
        Instant from = Instant.parse("2026-03-01T09:00:00Z");
        ReportParameters parameters = ReportParameters.period(from, from.plusSeconds(3600));
        ReportDefinition definition = ReportDefinition.of(ReportType.FOIA_EXPORT, parameters);
        LOG.events.forEach(definition::consider);
        definition.finish();
        long size = LOG.events.size();
        Checkpoint checkpoint = Checkpoint.of(LogFixture.ORIGIN, size, LOG.tree.root());
        PublishedCheckpoint pinned = new PublishedCheckpoint(LogFixture.TENANT, checkpoint, LOG.checkpoint(size), from);
        ReportHeader header = new ReportHeader("report-1", LogFixture.TENANT, ReportType.FOIA_EXPORT,
                ReportFormat.BUNDLE, parameters.toJson(ReportType.FOIA_EXPORT), definition.ruleVersions(), "auditor",
                from, pinned, LOG.verifierKey(), definition.selectedCount(), 0);
        Redactor redactor = new Redactor(List.of("metadata.form"), false, null);
        ReportEvents events = sink -> {
            for (int i = 0; i < LOG.events.size(); i++) {
                AuditEvent event = LOG.events.get(i);
                // Every third event redacted, the rest published as sealed.
                Redactor.Redacted published = i % 3 == 0 ? redactor.redact(event)
                        : new Redactor.Redacted(SealedEventFormat.toJson(event), List.of());
                sink.accept(ReportEntry.publish(i, event.leafHash(), published, true,
                        LOG.tree.inclusionProof(i, size)));
            }
        };
        bundle = dir.resolve("report.zip");
        try (OutputStream out = Files.newOutputStream(bundle)) {
            ReportBundleWriter.write(new ReportDocument(header, definition.summary(), definition.results()), events,
                    body -> LOG.signer.sign(body), out);
        }
        bytes = Files.readAllBytes(bundle);
    }

    private static Cli verify(Path file, String... origin) {
        return origin.length == 0
                ? Cli.run("verify-report-bundle", "--bundle", file.toString(), "--key", LOG.verifierKey())
                : Cli.run("verify-report-bundle", "--bundle", file.toString(), "--key", LOG.verifierKey(), "--origin",
                        origin[0]);
    }

    @Test
    void aGenuineReportBundleVerifies() {
        Cli result = verify(bundle, LogFixture.ORIGIN);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("OK: report report-1: 30 events (10 redacted: content not recomputable; "
                + "30 without inclusion proof: withheld by the redacting export)")
                .contains("checkpoint size 30 of example/acme");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void aChangedByteAnywhereFailsWithExitOneAndSaysWhere() throws IOException {
        int step = Math.max(1, bytes.length / 300);
        for (int position = 0; position < bytes.length; position += step) {
            byte[] changed = bytes.clone();
            changed[position] ^= 0x04;
            Path file = Files.write(dir.resolve("changed.zip"), changed);
            Cli result = verify(file, LogFixture.ORIGIN);
            assertThat(result.exit()).as("byte %d: %s", position, result).isEqualTo(VerifierCli.FAILED);
            assertThat(result.err()).contains("FAIL: ").contains("FAILED: ");
        }
    }

    @Test
    void anotherKeyOrOriginFails() {
        LogFixture other = new LogFixture(1);
        Cli wrongKey = Cli.run("verify-report-bundle", "--bundle", bundle.toString(), "--key", other.verifierKey(),
                "--origin", LogFixture.ORIGIN);
        assertThat(wrongKey.exit()).isEqualTo(VerifierCli.FAILED);
        assertThat(wrongKey.err()).contains("FAIL: checkpoint.txt: the signature does not verify",
                "FAIL: MANIFEST.note: the signature does not verify", "FAIL: verifier-key.txt: is not the trusted key");
        Cli wrongOrigin = verify(bundle, "example/globex");
        assertThat(wrongOrigin.exit()).isEqualTo(VerifierCli.FAILED);
        assertThat(wrongOrigin.err()).contains("is not the expected origin example/globex");
    }

    @Test
    void aMissingFileIsAUsageError() {
        assertThat(verify(dir.resolve("absent.zip")).exit()).isEqualTo(VerifierCli.USAGE);
    }
}
