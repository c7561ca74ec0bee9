package io.stenographer.adapters.streaming;

import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.sink.WebhookSecret;
import java.util.List;

/**
 * One transport's delivery of a batch (Kafka, webhook, syslog); {@link StreamTransports} routes each sink to its
 * own. Same contract as {@link io.stenographer.application.port.out.SendStreamRecordsPort}: the guard is checked
 * at connect time, failures come back as an {@link Outcome}, and no reason holds a secret or event content.
 */
public interface TransportSender {

    Outcome send(Sink sink, List<WebhookSecret> secrets, StreamBatch batch);
}
