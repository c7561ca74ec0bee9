package io.stenographer.domain.privacy;

/** What a reader is shown of one committed personal value. */
public sealed interface PersonalValueState {

    /** The value and its opening, checked against the leaf's commitment. */
    record Revealed(Disclosure disclosure) implements PersonalValueState {
    }

    /** The subject was erased: the value and its opening are gone for good; the commitment stays in the leaf. */
    record Erased() implements PersonalValueState {
    }

    /** The reader may not see personal data: the commitment only. */
    record Withheld() implements PersonalValueState {
    }

    /**
     * Stored, but it cannot be read as sealed: a wrong or destroyed key, a ciphertext moved or altered, or a value
     * that does not open the commitment. Never shown as data.
     */
    record Unreadable(String reason) implements PersonalValueState {
    }
}
