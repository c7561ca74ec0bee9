package io.stenographer.application.port.in;

import java.util.UUID;

/** No such proposal for this tenant's policy (or it is not visible to the caller). */
public class ShorteningProposalNotFound extends RuntimeException {

    public ShorteningProposalNotFound(UUID id) {
        super("no pending proposal " + id + " for this policy");
    }
}
