package io.stenographer.domain.merkle;

/** A perfect subtree of a log: leaves [index * 2^level, (index + 1) * 2^level). Level 0 is a leaf. */
public record NodeRef(int level, long index) {

    public NodeRef {
        if (level < 0 || level > 62) {
            throw new IllegalArgumentException("level must be 0..62, was " + level);
        }
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
    }

    public long start() {
        return index << level;
    }

    public long end() {
        return (index + 1) << level;
    }
}
