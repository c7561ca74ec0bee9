package io.stenographer.domain.bundle;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP transparency log proof, {@code c2sp.org/tlog-proof@v1}: an offline-verifiable proof that
 * one entry is in a log, as specified at <a href="https://c2sp.org/tlog-proof">https://c2sp.org/tlog-proof</a>
 * (C2SP/C2SP, {@code tlog-proof.md}). Files SHOULD use the extension {@code .tlog-proof}.
 *
 * <pre>
 * c2sp.org/tlog-proof@v1
 * extra &lt;base64 opaque extra data&gt;          (optional line)
 * index &lt;zero-based decimal, no leading zeros&gt;
 * &lt;base64 inclusion proof hash&gt;              (zero or more lines, leaf's sibling first)
 * &lt;empty line&gt;
 * &lt;the checkpoint's signed note, verbatim&gt;
 * </pre>
 *
 * <p>Parsing is strict: base64 must be canonical standard base64 with padding, every hash 32
 * bytes, lines end in LF, and the checkpoint must be a well-formed signed note. The extra data is
 * not authenticated and nothing here trusts it.
 *
 * @param index      the entry's zero-based index in the log
 * @param proof      the RFC 6962 / RFC 9162 inclusion proof, from the leaf's sibling up to the root's child
 * @param checkpoint the signed checkpoint note the proof leads to, verbatim
 * @param extra      opaque extra data, or null when the proof has no {@code extra} line
 */
public record TlogProof(long index, List<Hash> proof, String checkpoint, byte[] extra) {

    public static final String HEADER = "c2sp.org/tlog-proof@v1";

    /** A tree of at most 2^63 leaves needs at most 63 proof hashes. */
    public static final int MAX_PROOF_HASHES = 63;

    private static final String EXTRA_PREFIX = "extra ";
    private static final String INDEX_PREFIX = "index ";

    public TlogProof {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        proof = List.copyOf(Objects.requireNonNull(proof, "proof"));
        if (proof.size() > MAX_PROOF_HASHES) {
            throw new IllegalArgumentException("proof must have at most " + MAX_PROOF_HASHES + " hashes, had "
                    + proof.size());
        }
        Objects.requireNonNull(checkpoint, "checkpoint");
        try {
            SignedNote.parse(checkpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint is not a valid signed note: " + e.getMessage(), e);
        }
        extra = extra == null ? null : extra.clone();
    }

    /** A proof for an inclusion proof and the signed note of the checkpoint it was computed for. */
    public static TlogProof of(InclusionProof proof, String signedCheckpoint) {
        Objects.requireNonNull(proof, "proof");
        return new TlogProof(proof.leafIndex(), proof.path(), signedCheckpoint, null);
    }

    /** This proof with opaque extra data attached (null removes it). */
    public TlogProof withExtra(byte[] extraData) {
        return new TlogProof(index, proof, checkpoint, extraData);
    }

    @Override
    public byte[] extra() {
        return extra == null ? null : extra.clone();
    }

    /** The proof file's text. */
    public String serialize() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        if (extra != null) {
            out.append(EXTRA_PREFIX).append(Base64.getEncoder().encodeToString(extra)).append('\n');
        }
        out.append(INDEX_PREFIX).append(index).append('\n');
        proof.forEach(hash -> out.append(hash.base64()).append('\n'));
        return out.append('\n').append(checkpoint).toString();
    }

    /**
     * Parses a proof strictly.
     *
     * @throws IllegalArgumentException naming the line and the problem
     */
    public static TlogProof parse(String text) {
        Objects.requireNonNull(text, "text");
        int carriageReturn = text.indexOf('\r');
        if (carriageReturn >= 0) {
            throw new IllegalArgumentException("tlog-proof lines must end with LF only, found CR at offset "
                    + carriageReturn);
        }
        int separator = text.indexOf("\n\n");
        if (separator < 0) {
            throw new IllegalArgumentException("tlog-proof has no empty line before the checkpoint");
        }
        String[] lines = text.substring(0, separator).split("\n", -1);
        String checkpoint = text.substring(separator + 2);
        if (!lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("tlog-proof line 1 must be '" + HEADER + "'");
        }
        int next = 1;
        byte[] extra = null;
        if (next < lines.length && lines[next].startsWith(EXTRA_PREFIX)) {
            extra = strictBase64(lines[next].substring(EXTRA_PREFIX.length()), "tlog-proof line " + (next + 1)
                    + " (extra data)");
            next++;
        }
        if (next >= lines.length || !lines[next].startsWith(INDEX_PREFIX)) {
            throw new IllegalArgumentException("tlog-proof line " + (next + 1) + " must be 'index <N>'");
        }
        long index = parseIndex(lines[next].substring(INDEX_PREFIX.length()), next + 1);
        next++;
        int hashes = lines.length - next;
        if (hashes > MAX_PROOF_HASHES) {
            throw new IllegalArgumentException("tlog-proof has " + hashes + " proof hash lines, more than "
                    + MAX_PROOF_HASHES);
        }
        List<Hash> proof = new ArrayList<>(hashes);
        for (int i = next; i < lines.length; i++) {
            byte[] hash = strictBase64(lines[i], "tlog-proof line " + (i + 1) + " (proof hash)");
            if (hash.length != Hash.LENGTH) {
                throw new IllegalArgumentException("tlog-proof line " + (i + 1) + " (proof hash) decodes to "
                        + hash.length + " bytes, not " + Hash.LENGTH);
            }
            proof.add(new Hash(hash));
        }
        try {
            SignedNote.parse(checkpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tlog-proof checkpoint (after line " + (lines.length + 1)
                    + ") is not a valid signed note: " + e.getMessage(), e);
        }
        return new TlogProof(index, proof, checkpoint, extra);
    }

    /**
     * Verifies the proof for an entry's leaf hash: the checkpoint is signed by the trusted key,
     * comes from the expected log, and the inclusion proof leads from the leaf hash at
     * {@link #index()} to its root.
     */
    public Verification verify(Hash leafHash, NoteVerifier trustedKey, String expectedOrigin) {
        Objects.requireNonNull(trustedKey, "trustedKey");
        return verify(leafHash, KeySet.single(trustedKey), expectedOrigin);
    }

    /** As {@link #verify(Hash, NoteVerifier, String)}, with the key valid at the checkpoint's size taken from the log's key set. */
    public Verification verify(Hash leafHash, KeySet trustedKeys, String expectedOrigin) {
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(trustedKeys, "trustedKeys");
        Objects.requireNonNull(expectedOrigin, "expectedOrigin");
        Checkpoint parsed;
        try {
            parsed = trustedKeys.verify(SignedNote.parse(checkpoint));
        } catch (IllegalArgumentException e) {
            return Verification.failed("checkpoint signature does not verify with key " + trustedKeys.label() + ": "
                    + e.getMessage());
        }
        if (!parsed.origin().equals(expectedOrigin)) {
            return Verification.failed("checkpoint origin " + BundleVerifier.quote(parsed.origin())
                    + " is not the expected origin " + BundleVerifier.quote(expectedOrigin));
        }
        if (index >= parsed.treeSize()) {
            return Verification.failed("index " + index + " is not in the checkpointed tree of size "
                    + parsed.treeSize());
        }
        InclusionProof inclusion = new InclusionProof(index, parsed.treeSize(), proof);
        Hash reached;
        try {
            reached = inclusion.rootFrom(leafHash);
        } catch (IllegalArgumentException wrongLength) {
            return Verification.failed("inclusion proof has " + proof.size() + " hashes, the wrong number for index "
                    + index + " in a tree of size " + parsed.treeSize());
        }
        if (!reached.equals(parsed.rootHash())) {
            return Verification.failed("inclusion proof for leaf hash " + leafHash.hex() + " at index " + index
                    + " does not lead to the root of checkpoint size " + parsed.treeSize() + " of "
                    + parsed.origin());
        }
        return new Verification(true, "leaf hash " + leafHash.hex() + " is at index " + index
                + " in checkpoint size " + parsed.treeSize() + " of " + parsed.origin(), parsed);
    }

    /**
     * The outcome of {@link #verify}.
     *
     * @param checkpoint the verified checkpoint when {@code ok}, otherwise null
     */
    public record Verification(boolean ok, String message, Checkpoint checkpoint) {

        public Verification {
            Objects.requireNonNull(message, "message");
            if (ok != (checkpoint != null)) {
                throw new IllegalArgumentException("a checkpoint is given exactly when verification succeeded");
            }
        }

        static Verification failed(String message) {
            return new Verification(false, message, null);
        }
    }

    private static long parseIndex(String digits, int lineNumber) {
        boolean valid = !digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9')
                && (digits.length() == 1 || digits.charAt(0) != '0');
        if (!valid) {
            throw new IllegalArgumentException("tlog-proof line " + lineNumber
                    + ": index must be decimal digits without leading zeros, was '" + digits + "'");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tlog-proof line " + lineNumber + ": index " + digits
                    + " is too large", e);
        }
    }

    private static byte[] strictBase64(String text, String where) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not valid base64: " + e.getMessage(), e);
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(text)) {
            throw new IllegalArgumentException(where + " is not canonical padded base64");
        }
        return decoded;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlogProof that && index == that.index && proof.equals(that.proof)
                && checkpoint.equals(that.checkpoint) && Arrays.equals(extra, that.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, proof, checkpoint) * 31 + Arrays.hashCode(extra);
    }

    @Override
    public String toString() {
        return "TlogProof[index=" + index + ", " + proof.size() + " hashes, extra="
                + (extra == null ? "none" : extra.length + " bytes") + "]";
    }
}
