package io.stenographer.application.port.out;

import io.stenographer.domain.retention.LegalHold;

/**
 * Told about every placed and released legal hold, for stores that keep their own copy of a hold (for example
 * the S3 Object Lock legal-hold flag on archived segments). Called inside the use case's transaction, after the
 * hold or release row and its self-audit event were appended: throwing rolls the whole change back.
 */
public interface PropagateLegalHoldsPort {

    void placed(LegalHold hold);

    void released(LegalHold hold);
}
