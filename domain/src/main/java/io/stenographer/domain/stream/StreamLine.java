package io.stenographer.domain.stream;

/**
 * One line of a Stenographer stream: an event record or a checkpoint record (docs/STREAMING.md).
 */
public sealed interface StreamLine permits StreamRecord, StreamCheckpointRecord {

    /** The tenant whose log the line comes from. */
    String tenant();
}
