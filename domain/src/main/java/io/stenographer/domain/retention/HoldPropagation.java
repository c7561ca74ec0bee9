package io.stenographer.domain.retention;

import java.util.ArrayList;
import java.util.List;

/**
 * What mirroring a hold change onto the archive achieved: of {@code segments} archive copies the hold covers,
 * {@code applied} now carry the right legal-hold flag; each problem names a segment (or the store) left behind.
 * The hold itself is in force either way; the archive run applies flags that are still missing.
 */
public record HoldPropagation(int segments, int applied, List<String> problems) {

    public static final HoldPropagation NONE = new HoldPropagation(0, 0, List.of());

    public HoldPropagation {
        problems = List.copyOf(problems);
    }

    public boolean complete() {
        return problems.isEmpty();
    }

    public HoldPropagation and(HoldPropagation other) {
        List<String> all = new ArrayList<>(problems);
        all.addAll(other.problems);
        return new HoldPropagation(segments + other.segments, applied + other.applied, all);
    }
}
