package io.stenographer.domain.report;

import io.stenographer.domain.event.FieldViolation;

/**
 * An action glob: {@code *} matches any run of characters, everything else matches itself. Examples:
 * {@code case.export}, {@code case.*}, {@code *.view}, {@code *}.
 */
public record ActionPattern(String pattern) {

    public static final int MAX_LENGTH = 128;

    public ActionPattern {
        if (pattern == null || pattern.isEmpty() || pattern.length() > MAX_LENGTH
                || !pattern.matches("[a-z0-9_.*-]+")) {
            throw new IllegalArgumentException("an action pattern is 1-" + MAX_LENGTH
                    + " characters of a-z 0-9 _ . - and *, for example '*.view' or 'case.*'");
        }
    }

    public static ActionPattern parse(String field, String text) {
        try {
            return new ActionPattern(text);
        } catch (IllegalArgumentException e) {
            throw new FieldViolation(field, e.getMessage());
        }
    }

    public boolean matches(String action) {
        return glob(pattern, 0, action, 0);
    }

    private static boolean glob(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
                if (pi == p.length()) {
                    return true;
                }
                for (int start = si; start <= s.length(); start++) {
                    if (glob(p, pi, s, start)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || s.charAt(si) != c) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
