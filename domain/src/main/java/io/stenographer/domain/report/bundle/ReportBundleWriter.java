package io.stenographer.domain.report.bundle;

import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.report.JsonReportWriter;
import io.stenographer.domain.report.ReportDocument;
import io.stenographer.domain.report.ReportEvents;
import io.stenographer.domain.report.ReportHeader;
import io.stenographer.domain.report.ReportType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Writes a verifiable report bundle: a {@link CanonicalZip} holding, in this order,
 * <ol>
 *   <li>{@value #VERIFY}: how to check the bundle, for people;</li>
 *   <li>{@value #CHECKPOINT}: the signed checkpoint the report is pinned to;</li>
 *   <li>{@value #KEY}: the log's C2SP verifier key (to compare with one obtained out of band);</li>
 *   <li>{@value #REPORT}: the report without events (header, summary, rules);</li>
 *   <li>{@value #EVENTS}: one canonical JSON line per event: index, leaf hash, the event (sealed, or
 *       redacted with {@code redactions}), and its inclusion proof against the checkpoint;</li>
 *   <li>{@value #MANIFEST}: the {@link ReportManifest}, signed with the log key, stored last.</li>
 * </ol>
 */
public final class ReportBundleWriter {

    public static final String VERIFY = "VERIFY.txt";
    public static final String CHECKPOINT = "checkpoint.txt";
    public static final String KEY = "verifier-key.txt";
    public static final String REPORT = "report.json";
    public static final String EVENTS = "events.ndjson";
    public static final String MANIFEST = "MANIFEST.note";
    public static final List<String> CONTENT_ENTRIES = List.of(VERIFY, CHECKPOINT, KEY, REPORT, EVENTS);

    private ReportBundleWriter() {
    }

    /**
     * @param signer signs a manifest body with the log key (returns the signed note)
     */
    public static void write(ReportDocument document, ReportEvents events, Function<String, SignedNote> signer,
            OutputStream target) throws IOException {
        Objects.requireNonNull(signer, "signer");
        ReportHeader header = document.header();
        OutputStream buffered = new BufferedOutputStream(target, 1 << 16);
        CanonicalZipWriter zip = new CanonicalZipWriter(buffered);
        List<ReportManifest.FileDigest> files = new ArrayList<>();

        small(zip, files, VERIFY, verifyText(header).getBytes(StandardCharsets.UTF_8));
        small(zip, files, CHECKPOINT, header.checkpoint().signedNote().getBytes(StandardCharsets.UTF_8));
        small(zip, files, KEY, (header.verifierKey() + "\n").getBytes(StandardCharsets.UTF_8));
        small(zip, files, REPORT, JsonReportWriter.withoutEvents(document, EVENTS));

        CanonicalZipWriter.EntryStream out = zip.deflated(EVENTS);
        long[] written = {0};
        boolean mayWithhold = header.type() == ReportType.FOIA_EXPORT;
        events.forEach(entry -> {
            if (entry.proof() == null && !mayWithhold) {
                throw new IllegalStateException("bundle entries need their inclusion proof");
            }
            out.write(CanonicalJson.canonicalBytes(entry.toJson()));
            out.write('\n');
            written[0]++;
        });
        if (written[0] != header.eventCount()) {
            throw new IllegalStateException("wrote " + written[0] + " events, the header says " + header.eventCount());
        }
        add(files, zip.closeEntry());

        CanonicalZipWriter.Prefix prefix = zip.prefix();
        ReportManifest manifest = new ReportManifest(header.reportId(), header.checkpoint().checkpoint().origin(),
                header.checkpoint().treeSize(), prefix.length(), prefix.sha256(), files);
        SignedNote signed = signer.apply(manifest.body());
        if (!signed.body().equals(manifest.body())) {
            throw new IllegalStateException("the signer changed the manifest");
        }
        zip.stored(MANIFEST, signed.serialize().getBytes(StandardCharsets.UTF_8));
        zip.finish();
        buffered.flush();
    }

    private static void small(CanonicalZipWriter zip, List<ReportManifest.FileDigest> files, String name,
            byte[] content) throws IOException {
        zip.deflated(name).write(content);
        add(files, zip.closeEntry());
    }

    private static void add(List<ReportManifest.FileDigest> files, CanonicalZipWriter.Written written) {
        files.add(new ReportManifest.FileDigest(written.name(), written.sha256(), written.size()));
    }

    static String verifyText(ReportHeader header) {
        String origin = header.checkpoint().checkpoint().origin();
        return """
                Stenographer report bundle %s
                %s for tenant %s, pinned to the log %s at tree size %d
                Root hash (base64): %s

                WHAT THIS PROVES
                Every event in events.ndjson is in the tamper-evident log at the index given, under the
                signed checkpoint in checkpoint.txt. Every file, and every byte of this ZIP, is covered by
                MANIFEST.note, which is signed with the same log key. Events listed with "redactions" were
                redacted for publication. A public-records export that redacts publishes no leaf hash for
                redacted events and no inclusion proofs at all: they would let anyone test guesses of the
                removed values (a name, an id) against the signed log. For those events the bundle is the
                log holder's signed statement, not a proof (see docs/REPORTS.md, "What a recipient can
                verify").

                CHECK IT, OFFLINE
                1. Obtain the log's verifier key from a source you trust (not only from this ZIP), e.g.
                   GET /api/v1/logs/%s/verifier-key, or from the organisation's published keys. It must equal
                   verifier-key.txt:
                   %s
                2. Run the offline verifier (a single jar that depends on nothing but Java 17):
                   java -jar stenographer-verifier.jar verify-report-bundle --bundle <this file> \\
                       --key '<verifier key>' --origin %s
                   It checks the ZIP structure byte for byte, the manifest signature, every file hash,
                   the checkpoint signature, each event's leaf hash (unredacted events) and each inclusion
                   proof present. Exit status 0 means everything verified.
                3. By hand: unzip, compare `sha256sum` of each file with the 'file' lines of MANIFEST.note,
                   check the checkpoint and manifest signatures (C2SP signed notes, Ed25519), recompute leaf
                   hashes as SHA-256(0x00 || RFC 8785 JSON of the event) and fold each inclusion proof
                   (RFC 9162) up to the root hash in checkpoint.txt.
                """.formatted(header.reportId(), header.title(), header.tenant().value(), origin,
                header.checkpoint().treeSize(), header.checkpoint().checkpoint().rootHash().base64(),
                header.tenant().value(), header.verifierKey(), origin);
    }
}
