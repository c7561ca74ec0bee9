package io.stenographer.adapters.streaming;

import io.stenographer.application.port.out.SendStreamRecordsPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkTransport;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.sink.WebhookSecret;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The port over every transport: each batch goes to the sender of its sink's transport. */
public final class StreamTransports implements SendStreamRecordsPort {

    private final Map<SinkTransport, TransportSender> senders;

    public StreamTransports(Map<SinkTransport, TransportSender> senders) {
        this.senders = senders.isEmpty() ? new EnumMap<>(SinkTransport.class) : new EnumMap<>(senders);
    }

    @Override
    public Outcome send(Sink sink, List<WebhookSecret> secrets, StreamBatch batch) {
        SinkTransport transport = sink.target().transport();
        TransportSender sender = senders.get(transport);
        if (sender == null) {
            return new Failed("no " + transport.wireName() + " transport is configured in this service");
        }
        try {
            return sender.send(sink, secrets, batch);
        } catch (RuntimeException e) {
            // A bug must not stop the delivery loop; the class name only, as a message could quote a record.
            return new Failed(transport.wireName() + " transport failed unexpectedly (" + e.getClass().getName()
                    + ")");
        }
    }
}
