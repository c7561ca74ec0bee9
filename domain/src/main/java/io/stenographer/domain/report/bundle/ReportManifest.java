package io.stenographer.domain.report.bundle;

import io.stenographer.domain.merkle.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The signed table of contents of a report bundle, a C2SP signed note signed with the log's key. Its
 * first line, {@value #HEADER}, can never be a checkpoint origin followed by a tree size, so the
 * signature cannot be passed off as a checkpoint signature or the other way round.
 *
 * <pre>
 * stenographer.report-bundle/v1
 * report &lt;report id&gt;
 * origin &lt;log origin&gt;
 * tree-size &lt;N&gt;
 * prefix &lt;bytes&gt; &lt;sha256 hex of the ZIP's bytes before the manifest entry&gt;
 * file &lt;sha256 hex&gt; &lt;bytes&gt; &lt;name&gt;      (one per entry, in ZIP order)
 * </pre>
 *
 * The prefix hash covers every ZIP byte before the manifest (headers, timestamps, compressed data),
 * the file hashes let anyone check extracted files with {@code sha256sum}.
 */
public record ReportManifest(String reportId, String origin, long treeSize, long prefixLength, Hash prefixSha256,
        List<FileDigest> files) {

    public static final String HEADER = "stenographer.report-bundle/v1";

    public ReportManifest {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(prefixSha256, "prefixSha256");
        files = List.copyOf(files);
        if (!reportId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("report id must be 1-64 letters, digits or dashes");
        }
        if (origin.isEmpty() || origin.contains("\n") || origin.contains(" ")) {
            throw new IllegalArgumentException("origin must be one word on one line");
        }
    }

    public record FileDigest(String name, Hash sha256, long size) {
        public FileDigest {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sha256, "sha256");
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("entry name must be 1-64 of A-Z a-z 0-9 . _ -");
            }
        }
    }

    public String body() {
        StringBuilder out = new StringBuilder(HEADER).append('\n')
                .append("report ").append(reportId).append('\n')
                .append("origin ").append(origin).append('\n')
                .append("tree-size ").append(treeSize).append('\n')
                .append("prefix ").append(prefixLength).append(' ').append(prefixSha256.hex()).append('\n');
        for (FileDigest file : files) {
            out.append("file ").append(file.sha256().hex()).append(' ').append(file.size()).append(' ')
                    .append(file.name()).append('\n');
        }
        return out.toString();
    }

    /** Parses a manifest body strictly. */
    public static ReportManifest parse(String body) {
        String[] lines = body.split("\n", -1);
        if (lines.length < 6 || !lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException("a manifest has at least five lines, each ended by a newline");
        }
        if (!lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("the first line must be " + HEADER);
        }
        String reportId = field(lines[1], "report");
        String origin = field(lines[2], "origin");
        long treeSize = number(field(lines[3], "tree-size"), "tree-size");
        String[] prefix = field(lines[4], "prefix").split(" ", -1);
        if (prefix.length != 2) {
            throw new IllegalArgumentException("line 5 must be 'prefix <bytes> <sha256>'");
        }
        List<FileDigest> files = new ArrayList<>();
        for (int i = 5; i < lines.length - 1; i++) {
            String[] parts = field(lines[i], "file").split(" ", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("line " + (i + 1) + " must be 'file <sha256> <bytes> <name>'");
            }
            files.add(new FileDigest(parts[2], Hash.fromHex(parts[0]), number(parts[1], "file size")));
        }
        ReportManifest manifest = new ReportManifest(reportId, origin, treeSize, number(prefix[0], "prefix length"),
                Hash.fromHex(prefix[1]), files);
        if (!manifest.body().equals(body)) {
            throw new IllegalArgumentException("the manifest is not in its canonical form");
        }
        return manifest;
    }

    private static String field(String line, String name) {
        if (!line.startsWith(name + " ")) {
            throw new IllegalArgumentException("expected a '" + name + " ...' line, found '"
                    + (line.length() > 80 ? line.substring(0, 80) + "..." : line) + "'");
        }
        return line.substring(name.length() + 1);
    }

    private static long number(String text, String what) {
        if (!text.matches("0|[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException(what + " must be a decimal number");
        }
        return Long.parseLong(text);
    }
}
