package io.stenographer.application.port.out;

import io.stenographer.domain.retention.HoldPropagation;
import io.stenographer.domain.retention.LegalHold;

/**
 * Told about every placed and released legal hold, for stores that keep their own copy of a hold (for example
 * the S3 Object Lock legal-hold flag on archived segments). Called after the change and its self-audit event
 * committed, outside any transaction, so a slow or broken store can neither delay nor refuse a hold. It does not
 * throw for store problems: it reports them, and the archive run applies what is missing.
 */
public interface PropagateLegalHoldsPort {

    HoldPropagation placed(LegalHold hold);

    HoldPropagation released(LegalHold hold);
}
