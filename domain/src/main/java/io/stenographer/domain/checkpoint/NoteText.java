package io.stenographer.domain.checkpoint;

/** Character rules shared by signed notes and checkpoints (C2SP signed-note "Format"). */
final class NoteText {

    private NoteText() {
    }

    /**
     * Rejects ASCII controls other than newline (if allowed) and lone surrogates: a note must be
     * valid UTF-8, and the bytes signed must be the bytes every verifier reads.
     */
    static void requireValidText(String text, String field, boolean allowNewline) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && !(allowNewline && c == '\n')) {
                throw new IllegalArgumentException(field + " must not contain control character "
                        + String.format("U+%04X", (int) c) + " (at " + i + ")");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " must be valid Unicode, found a lone surrogate at " + i);
            }
        }
    }

    /** Key names are non-empty and contain neither Unicode spaces nor '+'. */
    static void requireValidKeyName(String name, String field) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        requireValidText(name, field, false);
        name.codePoints().forEach(cp -> {
            if (cp == '+' || Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                throw new IllegalArgumentException(field + " must not contain spaces or '+': \"" + name + "\"");
            }
        });
    }
}
