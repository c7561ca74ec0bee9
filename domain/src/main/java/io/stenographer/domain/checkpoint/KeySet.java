package io.stenographer.domain.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys one log has signed with, each with the tree sizes it was valid for. A checkpoint is
 * checked by the key(s) that were valid at its size, picked by the C2SP name and key id in each
 * signature line, so rotating the key never invalidates past checkpoints.
 *
 * <p>At a rotation, the old key's era ends and the new key's era begins at the same size: that
 * handover checkpoint is cosigned by both. Text form, one key per line:
 * {@code <verifier key> <first size> <last size or ->}.
 */
public final class KeySet {

    /** One key and the inclusive range of tree sizes it may sign; {@code lastSize} empty means current. */
    public record Era(NoteVerifier key, long firstSize, Optional<Long> lastSize) {
        public Era {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(lastSize, "lastSize");
            if (firstSize < 0) {
                throw new IllegalArgumentException("firstSize must be >= 0, was " + firstSize);
            }
            if (lastSize.isPresent() && lastSize.get() < firstSize) {
                throw new IllegalArgumentException("lastSize " + lastSize.get() + " is before firstSize " + firstSize);
            }
        }

        public boolean covers(long treeSize) {
            return treeSize >= firstSize && lastSize.map(last -> treeSize <= last).orElse(true);
        }

        String line() {
            return key.toVerifierKey() + " " + firstSize + " " + lastSize.map(String::valueOf).orElse("-");
        }
    }

    private final List<Era> eras;

    public KeySet(List<Era> eras) {
        Objects.requireNonNull(eras, "eras");
        this.eras = List.copyOf(eras);
        if (this.eras.isEmpty()) {
            throw new IllegalArgumentException("a key set needs at least one key");
        }
        for (int i = 0; i < this.eras.size(); i++) {
            for (int j = i + 1; j < this.eras.size(); j++) {
                NoteVerifier a = this.eras.get(i).key();
                NoteVerifier b = this.eras.get(j).key();
                // Signature lines name a key only by name and id; two keys sharing both would be ambiguous.
                if (a.name().equals(b.name()) && a.keyId() == b.keyId()) {
                    throw new IllegalArgumentException("key set lists " + a.name() + "+" + a.keyIdHex() + " twice");
                }
            }
        }
    }

    /** A log that has never rotated: one key, valid from the start. */
    public static KeySet single(NoteVerifier key) {
        return new KeySet(List.of(new Era(key, 0, Optional.empty())));
    }

    /**
     * This set after a rotation at {@code handoverSize}: the current key's era ends there, the new
     * key's begins there. The checkpoint of that size must carry both signatures.
     */
    public KeySet rotatedTo(NoteVerifier newKey, long handoverSize) {
        Era current = current();
        if (!current.covers(handoverSize)) {
            throw new IllegalArgumentException("handover size " + handoverSize + " is outside the current key's era");
        }
        List<Era> next = new ArrayList<>(eras);
        next.set(eras.indexOf(current), new Era(current.key(), current.firstSize(), Optional.of(handoverSize)));
        next.add(new Era(newKey, handoverSize, Optional.empty()));
        return new KeySet(next);
    }

    /** The era with no end: the key the log signs with now. */
    public Era current() {
        return eras.stream().filter(era -> era.lastSize().isEmpty()).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("key set has no current key"));
    }

    /** The key that signs checkpoints of this size: at a handover, the new one (the old one cosigned). */
    public NoteVerifier keyAt(long treeSize) {
        return eras.stream().filter(era -> era.covers(treeSize)).reduce((a, b) -> b.firstSize() >= a.firstSize() ? b : a)
                .map(Era::key).orElseThrow(() -> new IllegalArgumentException("no key of the set covers size " + treeSize));
    }

    public List<Era> eras() {
        return eras;
    }

    /** Whether the key is one of the set's, in any era. */
    public boolean contains(NoteVerifier key) {
        return eras.stream().anyMatch(era -> era.key().equals(key));
    }

    /** The keys as {@code name+keyid}, comma-separated, for messages. */
    public String label() {
        return String.join(", ", eras.stream().map(era -> era.key().name() + "+" + era.key().keyIdHex()).toList());
    }

    /**
     * Verifies a checkpoint note and parses it. Signature lines by keys not in the set are ignored,
     * as the signed-note spec says. A signature by a known key must verify and its key must be valid
     * at the checkpoint's size (a key used outside its era is a forgery or a backdating attempt);
     * at least one such signature is required. A handover checkpoint, at the size where one key's era ends and the
     * next one's begins, must be signed by both: the old key vouches for the new one.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public Checkpoint verify(SignedNote note) {
        Objects.requireNonNull(note, "note");
        Checkpoint checkpoint = Checkpoint.parseBody(note.body());
        byte[] message = note.body().getBytes(StandardCharsets.UTF_8);
        boolean verified = false;
        List<Era> signedBy = new ArrayList<>();
        for (NoteSignature signature : note.signatures()) {
            Optional<Era> era = eraOf(signature);
            if (era.isEmpty()) {
                continue;
            }
            String label = signature.keyName() + "+" + signature.keyIdHex();
            if (!era.get().key().verifySignature(message, signature.signature())) {
                throw new IllegalArgumentException("checkpoint signature by " + label + " does not verify");
            }
            if (!era.get().covers(checkpoint.treeSize())) {
                throw new IllegalArgumentException("checkpoint of size " + checkpoint.treeSize() + " is signed by "
                        + label + ", which is valid only for sizes " + era.get().firstSize() + ".."
                        + era.get().lastSize().map(String::valueOf).orElse(""));
            }
            verified = true;
            signedBy.add(era.get());
        }
        if (!verified) {
            throw new IllegalArgumentException("checkpoint carries no signature by a key in the key set");
        }
        for (Era era : eras) {
            if (era.covers(checkpoint.treeSize()) && !signedBy.contains(era)) {
                throw new IllegalArgumentException("checkpoint of size " + checkpoint.treeSize()
                        + " is a key handover and must also be signed by " + era.key().name() + "+"
                        + era.key().keyIdHex());
            }
        }
        return checkpoint;
    }

    /**
     * Whether a note that is not a checkpoint (a report manifest pinned to {@code treeSize}) is signed by a key of
     * the set that was still signing at that size: the current key, or one whose era ended at or after it. A retired
     * key's signature over a later size does not count, as for checkpoints, so a leaked retired key cannot vouch for
     * a report on today's log. A known key's signature that fails makes it false, as in {@link NoteVerifier#verify}.
     */
    public boolean signedByKeyValidAt(SignedNote note, long treeSize) {
        Objects.requireNonNull(note, "note");
        byte[] message = note.body().getBytes(StandardCharsets.UTF_8);
        boolean verified = false;
        for (NoteSignature signature : note.signatures()) {
            Optional<Era> era = eraOf(signature);
            if (era.isEmpty()) {
                continue;
            }
            if (!era.get().key().verifySignature(message, signature.signature())) {
                return false;
            }
            if (era.get().lastSize().map(last -> last >= treeSize).orElse(true)) {
                verified = true;
            }
        }
        return verified;
    }

    /** Whether the text is, byte for byte, the verifier key of one of the set's keys (no other spelling). */
    public boolean containsVerifierKey(String verifierKey) {
        return eras.stream().anyMatch(era -> era.key().toVerifierKey().equals(verifierKey));
    }

    /** Whether the signature line names a key of the set (by name and key id; it may still not verify). */
    public boolean names(NoteSignature signature) {
        return eraOf(signature).isPresent();
    }

    private Optional<Era> eraOf(NoteSignature signature) {
        return eras.stream()
                .filter(era -> era.key().name().equals(signature.keyName()) && era.key().keyId() == signature.keyId())
                .findFirst();
    }

    /** One line per key: {@code <verifier key> <first size> <last size or ->}. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        eras.forEach(era -> out.append(era.line()).append('\n'));
        return out.toString();
    }

    /**
     * Reads {@link #toText()}. A bare verifier key (the format before key sets) is read as one key
     * valid from size 0, so old verifier-key files keep working. Blank lines and '#' comments are skipped.
     */
    public static KeySet parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Era> eras = new ArrayList<>();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(" +");
            if (fields.length == 1) {
                eras.add(new Era(NoteVerifier.parse(fields[0]), 0, Optional.empty()));
            } else if (fields.length == 3) {
                eras.add(new Era(NoteVerifier.parse(fields[0]), size(fields[1]),
                        fields[2].equals("-") ? Optional.empty() : Optional.of(size(fields[2]))));
            } else {
                throw new IllegalArgumentException("key set line must be '<verifier key> <first size> <last size or ->'"
                        + ", was '" + line + "'");
            }
        }
        return new KeySet(eras);
    }

    private static long size(String field) {
        if (!field.matches("0|[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException("key set size must be a decimal number, was '" + field + "'");
        }
        return Long.parseLong(field);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeySet && eras.equals(((KeySet) other).eras);
    }

    @Override
    public int hashCode() {
        return eras.hashCode();
    }

    @Override
    public String toString() {
        return "KeySet[" + toText().strip().replace("\n", "; ") + "]";
    }
}
