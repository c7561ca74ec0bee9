package io.stenographer.application.port.out;

import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.sink.WebhookSecret;
import java.util.List;

/**
 * Sends a batch of stream records to a sink's receiver and reports whether the receiver acknowledged all of it.
 * Called outside any transaction. Implementations check the target's resolved addresses at connect time (the SSRF
 * guard) and never log a secret or an event's content.
 */
public interface SendStreamRecordsPort {

    Outcome send(Sink sink, List<WebhookSecret> secrets, StreamBatch batch);

    sealed interface Outcome {
    }

    /** Every record of the batch was acknowledged by the receiver. */
    record Delivered() implements Outcome {
    }

    /** Nothing may be assumed delivered; try again later. {@code reason} holds no secret and no event content. */
    record Failed(String reason) implements Outcome {
    }

    /** The receiver said it is gone for good (a webhook's 410): the sink is disabled. */
    record Gone(String reason) implements Outcome {
    }
}
