package io.stenographer.adapters.rest.reports;

import java.util.List;
import java.util.Locale;

/**
 * The HTTP validators and byte ranges of a report download (RFC 9110 sections 8.8.3, 13 and 14), kept apart from the
 * resource so they can be tested without a server.
 *
 * <ul>
 *   <li>The entity tag is the file's SHA-256 in quotes, a strong validator: two files with the same tag are the same
 *       bytes.</li>
 *   <li>{@code If-Match} (strong comparison) and {@code If-None-Match} (weak comparison; {@code *} matches the file)
 *       are evaluated in that order; {@code If-Modified-Since} and {@code If-Unmodified-Since} are not (there is no
 *       {@code Last-Modified}), as the RFC allows.</li>
 *   <li>{@code Range}: one byte range ({@code bytes=0-99}, {@code bytes=100-}, {@code bytes=-100}) is served as 206;
 *       several ranges, another unit, or a malformed header are ignored and the whole file is served as 200; a single
 *       range that starts at or beyond the end (or a zero suffix) is 416. {@code If-Range} with our entity tag lets
 *       the range apply; with any other tag or an HTTP date the whole file is served.</li>
 * </ul>
 */
final class HttpRanges {

    private HttpRanges() {
    }

    /** What the Range header asks of a file of {@code size} bytes. */
    sealed interface Ranged permits Whole, Single, Unsatisfiable {
    }

    /** Serve the whole file (no usable Range header). */
    record Whole() implements Ranged {
    }

    /** Bytes {@code first} to {@code last} of the file, both included. */
    record Single(long first, long last) implements Ranged {

        long length() {
            return last - first + 1;
        }
    }

    /** A single range that selects nothing of the file: 416. */
    record Unsatisfiable() implements Ranged {
    }

    static String entityTag(String sha256Hex) {
        return "\"" + sha256Hex + "\"";
    }

    /** If-None-Match: true when one of the listed tags (weakly compared) or {@code *} matches. */
    static boolean noneMatchFails(List<String> headers, String entityTag) {
        return matches(headers, entityTag, false);
    }

    /** If-Match: true when the header is present and nothing in it (strongly compared, or {@code *}) matches. */
    static boolean matchFails(List<String> headers, String entityTag) {
        return headers != null && !headers.isEmpty() && !matches(headers, entityTag, true);
    }

    private static boolean matches(List<String> headers, String entityTag, boolean strong) {
        if (headers == null) {
            return false;
        }
        for (String header : headers) {
            for (String candidate : header.split(",")) {
                String tag = candidate.trim();
                if (tag.equals("*")) {
                    return true;
                }
                boolean weak = tag.startsWith("W/");
                if (weak) {
                    if (strong) {
                        continue;
                    }
                    tag = tag.substring(2);
                }
                if (tag.equals(entityTag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The range to serve. {@code ifRange} is the If-Range header (null if absent): the range applies only when it is
     * exactly our (strong) entity tag.
     */
    static Ranged ranged(List<String> rangeHeaders, String ifRange, String entityTag, long size) {
        if (rangeHeaders == null || rangeHeaders.size() != 1) {
            return new Whole();
        }
        if (ifRange != null && !ifRange.trim().equals(entityTag)) {
            return new Whole();
        }
        String header = rangeHeaders.get(0).trim();
        int equals = header.indexOf('=');
        if (equals < 0 || !header.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return new Whole();
        }
        String set = header.substring(equals + 1).trim();
        if (set.isEmpty() || set.contains(",")) {
            // Several ranges (or a list with empty elements) are served as the whole file, which the RFC allows.
            return new Whole();
        }
        int dash = set.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String firstText = set.substring(0, dash).trim();
        String lastText = set.substring(dash + 1).trim();
        if (firstText.isEmpty()) {
            Long suffix = digits(lastText);
            if (suffix == null) {
                return new Whole();
            }
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Single(Math.max(0, size - suffix), size - 1);
        }
        Long first = digits(firstText);
        if (first == null) {
            return new Whole();
        }
        Long last = lastText.isEmpty() ? Long.valueOf(Long.MAX_VALUE) : digits(lastText);
        if (last == null || last < first) {
            return new Whole();
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Single(first, Math.min(last, size - 1));
    }

    /** A non-negative decimal, or null when the text is not one (or does not fit a long). */
    private static Long digits(String text) {
        if (text.isEmpty() || text.length() > 19) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
