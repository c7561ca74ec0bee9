package io.stenographer.application.port.in;

import java.util.List;

/**
 * A tenant's stream sinks (docs/STREAMING.md). Changes need compliance-admin for the tenant; reading a sink's
 * status needs auditor or compliance-admin. Every change is recorded in the tenant's own log ({@code stream.sink.*})
 * in the same transaction, with secret fingerprints only. A sink of a tenant the caller may not read is reported as
 * not found, so ids cannot be used to probe.
 */
public interface ManageSinksUseCase {

    SinkStatus create(CreateSinkCommand command);

    List<SinkStatus> list(SinksQuery query);

    /** @throws SinkNotFound if there is no such sink visible to the caller */
    SinkStatus get(SinkQuery query);

    /** Stops delivery; the cursor is kept. */
    SinkStatus pause(ChangeSinkCommand command);

    /** Delivers again from the cursor: after a pause, or a dead or disabled state. */
    SinkStatus resume(ChangeSinkCommand command);

    /** Delivers again from an index still in retention; the next checkpoint record starts there. */
    SinkStatus replay(ReplaySinkCommand command);

    /** Replaces a webhook's signing secrets; several at once while a secret rotates. */
    SinkStatus rotateSecrets(RotateSinkSecretsCommand command);

    /** Stops delivery for good and wipes the secrets. */
    void delete(ChangeSinkCommand command);
}
