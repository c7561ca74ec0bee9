package io.stenographer.domain.sink;

import io.stenographer.domain.stream.StreamCheckpointRecord;
import io.stenographer.domain.stream.StreamLine;
import io.stenographer.domain.stream.StreamRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery attempt's records: the event records of {@code [fromIndex, toIndex)} in index order, then an
 * optional checkpoint record. {@code messageId} is the same on every retry of the batch (a webhook's
 * {@code webhook-id}); a replay gets a new one because the sink's generation changes.
 */
public record StreamBatch(String messageId, String tenant, long fromIndex, long toIndex, List<StreamRecord> events,
        Optional<StreamCheckpointRecord> checkpoint) {

    public StreamBatch {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(tenant, "tenant");
        events = List.copyOf(events);
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (events.size() != toIndex - fromIndex) {
            throw new IllegalArgumentException("a batch of [" + fromIndex + ", " + toIndex + ") holds "
                    + (toIndex - fromIndex) + " events, not " + events.size());
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).index() != fromIndex + i) {
                throw new IllegalArgumentException("event " + i + " of the batch has index " + events.get(i).index()
                        + ", expected " + (fromIndex + i));
            }
        }
    }

    /** The message id of the batch {@code [from, to)} of a sink at a generation. */
    public static String messageId(SinkId sink, long generation, long from, long to) {
        return "msg_" + sink.value().toString().replace("-", "") + "_" + generation + "_" + from + "_" + to;
    }

    /** Every line in sending order: the events, then the checkpoint record. */
    public List<StreamLine> lines() {
        List<StreamLine> lines = new ArrayList<>(events);
        checkpoint.ifPresent(lines::add);
        return lines;
    }
}
