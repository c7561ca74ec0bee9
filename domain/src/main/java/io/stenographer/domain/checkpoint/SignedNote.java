package io.stenographer.domain.checkpoint;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, and one or more signature lines.
 * The signatures cover the text's UTF-8 bytes, final newline included.
 */
public record SignedNote(String body, List<NoteSignature> signatures) {

    /** Upper bound on signature lines when parsing; the spec asks verifiers to accept at least 16. */
    public static final int MAX_SIGNATURES = 100;

    private static final String SIGNATURE_PREFIX = "\u2014 ";

    public SignedNote {
        requireValidBody(body);
        Objects.requireNonNull(signatures, "signatures");
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("signatures must hold at least one signature");
        }
    }

    static void requireValidBody(String body) {
        Objects.requireNonNull(body, "body");
        if (body.isEmpty() || !body.endsWith("\n")) {
            throw new IllegalArgumentException("body must be non-empty and end with a newline");
        }
        NoteText.requireValidText(body, "body", true);
    }

    /** The note in its wire form. */
    public String serialize() {
        StringBuilder out = new StringBuilder(body).append('\n');
        signatures.forEach(signature -> out.append(signature.line()));
        return out.toString();
    }

    /** This note with one more signature (for example a witness cosignature). */
    public SignedNote withSignature(NoteSignature signature) {
        List<NoteSignature> all = new ArrayList<>(signatures);
        all.add(Objects.requireNonNull(signature, "signature"));
        return new SignedNote(body, all);
    }

    /**
     * Parses a note strictly: valid text only, the text separated from the signatures by the last
     * blank line, every signature line well formed and its base64 canonical.
     *
     * @throws IllegalArgumentException describing the first problem found
     */
    public static SignedNote parse(String note) {
        Objects.requireNonNull(note, "note");
        NoteText.requireValidText(note, "note", true);
        if (!note.endsWith("\n")) {
            throw new IllegalArgumentException("note must end with a newline");
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("note has no blank line separating text from signatures");
        }
        String body = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        if (block.isEmpty()) {
            throw new IllegalArgumentException("note has no signature lines");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        int lineStart = 0;
        while (lineStart < block.length()) {
            int lineEnd = block.indexOf('\n', lineStart);
            if (signatures.size() == MAX_SIGNATURES) {
                throw new IllegalArgumentException("note has more than " + MAX_SIGNATURES + " signatures");
            }
            signatures.add(parseSignatureLine(block.substring(lineStart, lineEnd), signatures.size() + 1));
            lineStart = lineEnd + 1;
        }
        return new SignedNote(body, signatures);
    }

    private static NoteSignature parseSignatureLine(String line, int number) {
        String where = "signature line " + number;
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw new IllegalArgumentException(where + " must start with an em dash (U+2014) and a space");
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space <= 0 || rest.indexOf(' ', space + 1) >= 0) {
            throw new IllegalArgumentException(where + " must be '\u2014 <key name> <base64 signature>'");
        }
        String name = rest.substring(0, space);
        String base64 = rest.substring(space + 1);
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " has invalid base64: " + e.getMessage(), e);
        }
        if (!Base64.getEncoder().encodeToString(payload).equals(base64)) {
            throw new IllegalArgumentException(where + " base64 is not in canonical padded form");
        }
        if (payload.length < 5) {
            throw new IllegalArgumentException(where + " is too short: a 4-byte key id and a signature are required");
        }
        int keyId = ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16)
                | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
        byte[] signature = new byte[payload.length - 4];
        System.arraycopy(payload, 4, signature, 0, signature.length);
        try {
            return new NoteSignature(name, keyId, signature);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
