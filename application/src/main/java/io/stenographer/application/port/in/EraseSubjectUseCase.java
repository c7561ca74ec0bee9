package io.stenographer.application.port.in;

import io.stenographer.domain.privacy.SubjectErasure;
import java.util.List;

/**
 * Crypto-shredding of one data subject: compliance admins erase, auditors and compliance admins read the record.
 * The leaf and every proof stay as they were; only the values and openings the leaf commits to are destroyed.
 */
public interface EraseSubjectUseCase {

    /** The erasure made now; when nothing was left to erase, the subject's latest earlier erasure, unchanged. */
    ErasureOutcome erase(EraseSubjectCommand command);

    List<SubjectErasure> erasures(SubjectErasuresQuery query);

    /** What an erasure request did: {@code created} is false when it found nothing left and repeats an earlier one. */
    record ErasureOutcome(SubjectErasure erasure, boolean created) {
    }
}
