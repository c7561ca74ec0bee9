package io.stenographer.domain.privacy;

/**
 * A keyed hash naming a data subject (32 bytes). Where a tenant's policy makes an identifier personal, the leaf holds
 * the same keyed hash of it as its {@link io.stenographer.domain.event.Pseudonym}.
 */
public record SubjectIndex(byte[] bytes) {

    public SubjectIndex {
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException("a subject index is 32 bytes");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The pseudonym a leaf holds in place of the identifier this index was computed from. */
    public String pseudonym() {
        return io.stenographer.domain.event.Pseudonym.of(bytes);
    }

    /** The index a stored pseudonym was made from; empty when the value is not a pseudonym. */
    public static java.util.Optional<SubjectIndex> ofPseudonym(String value) {
        return io.stenographer.domain.event.Pseudonym.keyedHash(value).map(SubjectIndex::new);
    }

    public String hex() {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectIndex that && java.util.Arrays.equals(that.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SubjectIndex[" + hex() + "]";
    }
}
