package io.stenographer.domain.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts per key with a hard limit on the number of keys, so a rule's memory stays bounded however
 * many events it reads. Keys first seen after the limit are counted together in {@link #overflow()}.
 */
final class BoundedCounter {

    private final int maxKeys;
    private final Map<String, long[]> counts = new HashMap<>();
    private long overflow;

    BoundedCounter(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    void add(String key) {
        long[] count = counts.get(key);
        if (count == null) {
            if (counts.size() >= maxKeys) {
                overflow++;
                return;
            }
            count = new long[1];
            counts.put(key, count);
        }
        count[0]++;
    }

    long overflow() {
        return overflow;
    }

    int size() {
        return counts.size();
    }

    long get(String key) {
        long[] count = counts.get(key);
        return count == null ? 0 : count[0];
    }

    /** The top entries by count (ties by key), deterministic. */
    List<Map.Entry<String, Long>> top(int limit) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.size());
        counts.forEach((key, count) -> entries.add(Map.entry(key, count[0])));
        entries.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        return entries.subList(0, Math.min(limit, entries.size()));
    }

    /** A two-column table of the top entries, with notes when rows or keys were left out. */
    ReportTable table(String title, String keyColumn, int limit, List<String> notes) {
        return table(title, keyColumn, "events", limit, notes);
    }

    ReportTable table(String title, String keyColumn, String countColumn, int limit, List<String> notes) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Long> entry : top(limit)) {
            rows.add(List.of(entry.getKey(), Long.toString(entry.getValue())));
        }
        if (counts.size() > limit) {
            notes.add(title + ": the " + limit + " largest of " + counts.size() + " rows are shown");
        }
        if (overflow > 0) {
            rows.add(List.of("(other, beyond " + maxKeys + " tracked)", Long.toString(overflow)));
            notes.add(title + ": more than " + maxKeys + " distinct values; " + overflow
                    + " are counted together as 'other'");
        }
        return new ReportTable(title, List.of(keyColumn, countColumn), rows);
    }
}
