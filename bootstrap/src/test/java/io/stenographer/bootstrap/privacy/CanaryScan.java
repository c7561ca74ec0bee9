package io.stenographer.bootstrap.privacy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Counts byte patterns (canaries) in bytes, files and directory trees, for {@link PersonalDataCanaryIT}. Each
 * pattern is searched as raw bytes; a gzip stream (a file that starts with {@code 1f 8b}, such as an archive segment)
 * and a zip file (a report bundle) are also searched decompressed, since compressed bytes would hide any plaintext.
 * Files that vanish while a tree is walked (a running PostgreSQL removes temporary and recycled WAL files) are
 * skipped.
 */
final class CanaryScan {

    private static final long MAX_INFLATED = 512L * 1024 * 1024;

    /** Hits of each pattern in one place, and where they were (the first few files). */
    static final class Hits {
        final String place;
        final Map<String, Integer> byPattern = new LinkedHashMap<>();
        final Map<String, List<String>> where = new LinkedHashMap<>();
        int sources;
        long bytes;

        Hits(String place, Map<String, byte[]> patterns) {
            this.place = place;
            patterns.keySet().forEach(label -> byPattern.put(label, 0));
        }

        int of(String label) {
            return byPattern.getOrDefault(label, 0);
        }

        /** Total hits of the patterns whose label starts with {@code prefix}. */
        int total(String prefix) {
            return byPattern.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToInt(Map.Entry::getValue).sum();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(String.format("%-46s %5d sources %,12d bytes | personal hits %d",
                    place, sources, bytes, total("personal:")));
            byPattern.forEach((label, count) -> {
                if (count > 0) {
                    text.append(" | ").append(label).append('=').append(count).append(' ').append(where.get(label));
                }
            });
            return text.toString();
        }
    }

    private final Map<String, byte[]> patterns;

    /** Patterns by label; a label says what kind of value it is (e.g. {@code personal:...} or {@code control:...}). */
    CanaryScan(Map<String, byte[]> patterns) {
        this.patterns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
    }

    Hits bytes(String place, byte[] content) {
        Hits hits = new Hits(place, patterns);
        scan(hits, place, content);
        return hits;
    }

    Hits texts(String place, List<String> contents) {
        Hits hits = new Hits(place, patterns);
        for (int i = 0; i < contents.size(); i++) {
            scan(hits, place + "#" + i, contents.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return hits;
    }

    /** Every regular file under {@code root} (a missing root scans nothing). */
    Hits tree(String place, Path root) {
        return tree(place, root, relative -> true);
    }

    /** The regular files under {@code root} whose path relative to it {@code include} accepts. */
    Hits tree(String place, Path root, java.util.function.Predicate<Path> include) {
        Hits hits = new Hits(place, patterns);
        if (!Files.exists(root)) {
            return hits;
        }
        List<Path> files = null;
        // A running PostgreSQL creates and removes files while the tree is walked; a walk that trips over one that
        // vanished is repeated.
        for (int attempt = 1; files == null; attempt++) {
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).filter(file -> include.test(root.relativize(file)))
                        .sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                if (attempt == 5) {
                    throw new IllegalStateException("cannot walk " + root, e);
                }
            }
        }
        for (Path file : files) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (NoSuchFileException gone) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            scan(hits, root.relativize(file).toString(), content);
        }
        return hits;
    }

    private void scan(Hits hits, String source, byte[] content) {
        hits.sources++;
        hits.bytes += content.length;
        count(hits, source, content);
        if (content.length > 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
            inflate(hits, source + "!gunzip", () -> new GZIPInputStream(new ByteArrayInputStream(content)));
        } else if (content.length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4) {
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    byte[] inflated = zip.readNBytes((int) Math.min(MAX_INFLATED, Integer.MAX_VALUE - 8));
                    scan(hits, source + "!" + entry.getName(), inflated);
                }
            } catch (IOException e) {
                // Not a zip after all (e.g. a data page that happens to start with these bytes): raw bytes only.
            }
        }
    }

    private interface Opener {
        InputStream open() throws IOException;
    }

    private void inflate(Hits hits, String source, Opener opener) {
        try (InputStream in = opener.open()) {
            byte[] inflated = in.readNBytes((int) Math.min(MAX_INFLATED, Integer.MAX_VALUE - 8));
            hits.bytes += inflated.length;
            count(hits, source, inflated);
        } catch (IOException e) {
            // Not gzip after all: the raw bytes were searched.
        }
    }

    private void count(Hits hits, String source, byte[] content) {
        // ISO-8859-1 maps each byte to one char, so String.indexOf is an exact, fast byte search.
        String haystack = new String(content, StandardCharsets.ISO_8859_1);
        patterns.forEach((label, pattern) -> {
            String needle = new String(pattern, StandardCharsets.ISO_8859_1);
            int found = 0;
            for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
                found++;
            }
            if (found > 0) {
                hits.byPattern.merge(label, found, Integer::sum);
                List<String> places = hits.where.computeIfAbsent(label, l -> new ArrayList<>());
                if (places.size() < 5) {
                    places.add(source);
                }
            }
        });
    }
}
