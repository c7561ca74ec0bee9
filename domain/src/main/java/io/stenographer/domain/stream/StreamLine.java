package io.stenographer.domain.stream;

/**
 * One line of a Stenographer stream: an event record, a checkpoint record, or the truncated stand-in of an event
 * too large for the sink's messages (docs/STREAMING.md).
 */
public sealed interface StreamLine permits StreamRecord, StreamCheckpointRecord, StreamTruncatedRecord {

    /** The tenant whose log the line comes from. */
    String tenant();
}
