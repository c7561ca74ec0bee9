package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.WebhookSecret;
import java.util.List;
import java.util.Optional;

/**
 * Stored stream sinks, for their administration. Every call runs inside the caller's transaction. Every change
 * here also ends any delivery lease on the sink (its generation moves on), so a worker that was sending under
 * the old configuration cannot save progress over the change: see {@link LeaseSinksPort}.
 */
public interface StoreSinksPort {

    void insert(Sink sink, List<WebhookSecret> secrets, SinkProgress progress);

    /** The sink with its progress, whatever its tenant (the caller checks access); deleted sinks too. */
    Optional<StoredSink> find(SinkId id);

    /** The tenant's sinks that are not deleted, oldest first. */
    List<StoredSink> list(TenantId tenant);

    /** Sets the state; a resumed sink also forgets its failure run ({@link SinkProgress#resumed()}). */
    void changeState(SinkId id, SinkState state);

    /** Replaces the signing secrets (a webhook's rotation); the fingerprints are stored with the sink. */
    void replaceSecrets(SinkId id, List<WebhookSecret> secrets);

    /** Delivery restarts at the progress's cursor: what a replay does. */
    void restart(SinkId id, SinkProgress progress);

    /** Marks the sink deleted and wipes its secrets; the row stays, for the record. */
    void delete(SinkId id);

    record StoredSink(Sink sink, SinkProgress progress) {
    }
}
