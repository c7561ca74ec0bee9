package io.stenographer.application.port.in;

/** An erasure refused because an active legal hold covers the subject: the hold wins until it is released. */
public class SubjectUnderLegalHold extends RuntimeException {

    private final String holdId;

    public SubjectUnderLegalHold(String holdId) {
        super("Legal hold " + holdId + " covers this data subject; its personal data cannot be erased until the hold "
                + "is released.");
        this.holdId = holdId;
    }

    public String holdId() {
        return holdId;
    }
}
