package io.stenographer.domain.checkpoint;

import io.stenographer.domain.merkle.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP tlog-checkpoint: the origin (log identity), tree size and root hash, plus optional
 * extension lines. Its {@link #body()} is the text that gets signed as a note.
 */
public record Checkpoint(String origin, long treeSize, Hash rootHash, List<String> extensionLines) {

    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        if (origin.isEmpty()) {
            throw new IllegalArgumentException("origin must not be empty");
        }
        NoteText.requireValidText(origin, "origin", false);
        if (treeSize < 0) {
            throw new IllegalArgumentException("treeSize must be >= 0, was " + treeSize);
        }
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(extensionLines, "extensionLines");
        extensionLines = List.copyOf(extensionLines);
        for (String line : extensionLines) {
            if (line.isEmpty()) {
                throw new IllegalArgumentException("extensionLines must not contain empty lines");
            }
            NoteText.requireValidText(line, "extensionLines", false);
        }
    }

    public static Checkpoint of(String origin, long treeSize, Hash rootHash) {
        return new Checkpoint(origin, treeSize, rootHash, List.of());
    }

    /** "origin\nsize\nbase64(root)\n" followed by each extension line and a newline. */
    public String body() {
        StringBuilder out = new StringBuilder()
                .append(origin).append('\n')
                .append(treeSize).append('\n')
                .append(rootHash.base64()).append('\n');
        extensionLines.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** Signs {@link #body()} as a note. */
    public SignedNote sign(NoteSigner signer) {
        return Objects.requireNonNull(signer, "signer").sign(body());
    }

    /**
     * Parses a checkpoint body strictly: at least three non-empty lines, a size in canonical
     * decimal, a root in canonical base64 of 32 bytes, and a final newline.
     */
    public static Checkpoint parseBody(String body) {
        Objects.requireNonNull(body, "body");
        if (!body.endsWith("\n")) {
            throw new IllegalArgumentException("checkpoint body must end with a newline");
        }
        List<String> lines = List.of(body.substring(0, body.length() - 1).split("\n", -1));
        if (lines.size() < 3) {
            throw new IllegalArgumentException("checkpoint body needs origin, tree size and root hash lines, found "
                    + lines.size() + " line(s)");
        }
        long size = parseSize(lines.get(1));
        Hash root;
        try {
            root = Hash.fromBase64(lines.get(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint root hash line is invalid: " + e.getMessage(), e);
        }
        return new Checkpoint(lines.get(0), size, root, new ArrayList<>(lines.subList(3, lines.size())));
    }

    /**
     * Verifies the note with the given key, then parses its body.
     *
     * @throws IllegalArgumentException if the note is not signed by that key or the body is malformed
     */
    public static Checkpoint verifiedFrom(SignedNote note, NoteVerifier verifier) {
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(verifier, "verifier");
        if (!verifier.verify(note)) {
            throw new IllegalArgumentException("checkpoint is not validly signed by " + verifier.toVerifierKey());
        }
        return parseBody(note.body());
    }

    /**
     * Verifies the note with the key that was valid at its size, from a log's key set.
     *
     * @throws IllegalArgumentException if no key valid at that size signed it, or the body is malformed
     */
    public static Checkpoint verifiedFrom(SignedNote note, KeySet keys) {
        return Objects.requireNonNull(keys, "keys").verify(note);
    }

    private static long parseSize(String line) {
        boolean digitsOnly = !line.isEmpty() && line.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digitsOnly || (line.length() > 1 && line.charAt(0) == '0')) {
            throw new IllegalArgumentException("checkpoint tree size must be decimal digits without leading zeros, was '"
                    + line + "'");
        }
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint tree size is too large: " + line, e);
        }
    }
}
