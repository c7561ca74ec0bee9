package io.stenographer.domain.tiles;

import java.util.Locale;

/**
 * A tile or entry-bundle path as c2sp.org/tlog-tiles spells it, parsed strictly: exactly one spelling is accepted
 * for each resource, so a cache or an access log never sees two names for the same bytes.
 */
public record TilePath(boolean entries, Tile tile) {

    private static final String PREFIX = "tile/";
    private static final String ENTRIES = "entries/";
    private static final String PARTIAL = ".p/";
    private static final int MAX_PATH_LENGTH = 128;

    public TilePath {
        if (entries && tile.level() != 0) {
            throw new IllegalArgumentException("entry bundles have no level");
        }
    }

    public String path() {
        return entries ? tile.entriesPath() : tile.path();
    }

    /** Parses {@code tile/<L>/<N>[.p/<W>]} or {@code tile/entries/<N>[.p/<W>]}. */
    public static TilePath parse(String path) {
        if (path == null || path.length() > MAX_PATH_LENGTH || !path.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a tile path starts with 'tile/' and is at most "
                    + MAX_PATH_LENGTH + " characters");
        }
        String rest = path.substring(PREFIX.length());
        boolean entries = rest.startsWith(ENTRIES);
        int level = 0;
        if (entries) {
            rest = rest.substring(ENTRIES.length());
        } else {
            int slash = rest.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("a tile path is tile/<L>/<N>[.p/<W>]");
            }
            level = decimal(rest.substring(0, slash), "level", Tile.MAX_LEVEL);
            rest = rest.substring(slash + 1);
        }
        int width = Tile.FULL_WIDTH;
        int partial = rest.indexOf(PARTIAL);
        if (partial >= 0) {
            width = decimal(rest.substring(partial + PARTIAL.length()), "width", Tile.FULL_WIDTH - 1);
            if (width == 0) {
                throw new IllegalArgumentException("a partial tile's width is 1..255");
            }
            rest = rest.substring(0, partial);
        }
        return new TilePath(entries, new Tile(level, decodeIndex(rest), width));
    }

    /** {@code 1234067} becomes {@code x001/x234/067}: 3-digit groups, every group but the last marked with x. */
    public static String encodeIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("tile index must be >= 0, was " + index);
        }
        String path = String.format(Locale.ROOT, "%03d", index % 1000);
        for (long rest = index / 1000; rest > 0; rest /= 1000) {
            path = String.format(Locale.ROOT, "x%03d/", rest % 1000) + path;
        }
        return path;
    }

    static long decodeIndex(String encoded) {
        String[] groups = encoded.split("/", -1);
        long index = 0;
        for (int i = 0; i < groups.length; i++) {
            String group = groups[i];
            boolean last = i == groups.length - 1;
            String digits = last ? group : group.startsWith("x") ? group.substring(1) : null;
            if (digits == null || digits.length() != 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("tile index '" + encoded
                        + "' must be 3-digit groups, all but the last starting with x (e.g. x001/x234/067)");
            }
            if (index > (Long.MAX_VALUE - 999) / 1000) {
                throw new IllegalArgumentException("tile index '" + encoded + "' is too large");
            }
            index = index * 1000 + Integer.parseInt(digits);
        }
        if (!encodeIndex(index).equals(encoded)) {
            throw new IllegalArgumentException("tile index '" + encoded + "' is not in its one spelling, "
                    + encodeIndex(index));
        }
        return index;
    }

    private static int decimal(String text, String what, int max) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new IllegalArgumentException("tile " + what + " '" + text
                    + "' must be a decimal number without leading zeroes");
        }
        int value = Integer.parseInt(text);
        if (value > max) {
            throw new IllegalArgumentException("tile " + what + " must be at most " + max + ", was " + value);
        }
        return value;
    }
}
