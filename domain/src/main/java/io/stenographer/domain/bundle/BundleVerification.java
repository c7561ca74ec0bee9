package io.stenographer.domain.bundle;

import java.util.List;
import java.util.Objects;

/**
 * What {@link BundleVerifier} found. The bundle verifies exactly when {@link #failures()} is empty.
 *
 * @param origin        the header's origin, or null when the header could not be read
 * @param tenant        the header's tenant, or null when the header could not be read
 * @param treeSize      the header's tree size (the checkpoint size), or -1 when unknown
 * @param entries       entry lines seen
 * @param eventsPresent entries that carried their event
 * @param purged        entries whose payload was purged (leaf hash and proof only)
 * @param failures      precise messages, in the order found; at most
 *                      {@link BundleVerifier#MAX_FAILURES} plus a final "stopped" note
 * @param stoppedEarly  whether verification gave up after {@link BundleVerifier#MAX_FAILURES}
 *                      failures, leaving the rest of the bundle unread
 */
public record BundleVerification(String origin, String tenant, long treeSize, long entries, long eventsPresent,
        long purged, List<String> failures, boolean stoppedEarly) {

    public BundleVerification {
        failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
        if (stoppedEarly && failures.isEmpty()) {
            throw new IllegalArgumentException("stoppedEarly requires failures");
        }
        if (entries < 0 || eventsPresent < 0 || purged < 0 || eventsPresent + purged > entries) {
            throw new IllegalArgumentException("inconsistent counts: " + entries + " entries, " + eventsPresent
                    + " events, " + purged + " purged");
        }
    }

    public boolean ok() {
        return failures.isEmpty();
    }

    /** One line: "OK: ..." when everything verified, "FAILED: ..." otherwise. */
    public String summary() {
        String counts = entries + " entries, " + eventsPresent + " events, " + purged + " purged";
        if (ok()) {
            return "OK: " + counts + "; all proofs verify against checkpoint size " + treeSize + " of " + origin;
        }
        String found = stoppedEarly ? "more than " + BundleVerifier.MAX_FAILURES + " failures, stopped"
                : failures.size() + (failures.size() == 1 ? " failure" : " failures");
        return "FAILED: " + found + " (" + counts + " read)";
    }
}
