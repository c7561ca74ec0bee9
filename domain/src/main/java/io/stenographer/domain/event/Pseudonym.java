package io.stenographer.domain.event;

import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a leaf holds in place of a personal identifier ({@code actor.id}, {@code resource.id}): {@value #PREFIX}
 * and the 64 hex digits of a keyed hash of the identifier (the tenant's subject blind index). The same identifier
 * always gets the same pseudonym, so queries, holds and the archive index still find its events, but only a holder of
 * the tenant's index key can compute one, and nobody can invert it.
 */
public final class Pseudonym {

    public static final String PREFIX = "pseudonym:";
    private static final Pattern FORM = Pattern.compile(Pattern.quote(PREFIX) + "[0-9a-f]{64}");

    private Pseudonym() {
    }

    /** The pseudonym of a 32-byte keyed hash. */
    public static String of(byte[] keyedHash) {
        if (keyedHash == null || keyedHash.length != 32) {
            throw new IllegalArgumentException("a pseudonym is made from a 32-byte keyed hash");
        }
        return PREFIX + HexFormat.of().formatHex(keyedHash);
    }

    public static boolean isPseudonym(String value) {
        return value != null && FORM.matcher(value).matches();
    }

    /** The keyed hash a pseudonym was made from; empty when the value is not a pseudonym. */
    public static Optional<byte[]> keyedHash(String value) {
        return isPseudonym(value) ? Optional.of(HexFormat.of().parseHex(value.substring(PREFIX.length())))
                : Optional.empty();
    }
}
