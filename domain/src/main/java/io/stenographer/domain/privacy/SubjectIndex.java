package io.stenographer.domain.privacy;

/** A keyed hash naming a data subject (32 bytes). */
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
