package io.stenographer.domain.stream;

import java.util.List;

/**
 * What {@link StreamVerifier} concluded about a captured stream.
 *
 * @param failures  what does not verify (gaps, changed duplicates, leaf hashes, signatures, proofs, inclusion);
 *                  at most {@link StreamVerifier#MAX_FAILURES_KEPT} are kept, {@code failureCount} counts all
 * @param notes     what the capture cannot prove, without being wrong (events not yet under a checkpoint record,
 *                  ranges whose earlier leaves are not in the capture)
 * @param summary   one line: the counts, starting {@code OK:} or {@code FAILED:}
 * @param events    event records read (each index once), not counting truncated records
 * @param truncated truncated records read (each index once): they fill their index but their events are not in the
 *                  stream, so they are never among the {@code provenEvents}
 */
public record StreamVerification(boolean ok, long failureCount, List<String> failures, List<String> notes,
        String summary, long events, long duplicates, long checkpointRecords, long provenEvents, long truncated) {

    public StreamVerification {
        failures = List.copyOf(failures);
        notes = List.copyOf(notes);
    }
}
