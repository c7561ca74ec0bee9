package io.stenographer.domain.report.bundle;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ReportBundleVerifier} found; the bundle verifies exactly when {@link #failures()} is empty.
 *
 * @param reportId the report id from the manifest or report, or null when unreadable
 * @param origin   the checkpoint's origin, or null when unreadable
 * @param treeSize the checkpoint's tree size, or -1
 * @param events   event lines checked
 * @param redacted events published redacted: content not recomputable
 * @param unproven events published without an inclusion proof (a redacting public-records export
 *                 withholds them, see docs/REPORTS.md §4): covered by the signed manifest only
 */
public record ReportBundleVerification(String reportId, String origin, long treeSize, long events, long redacted,
        long unproven, List<String> failures) {

    public ReportBundleVerification {
        failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
    }

    public boolean ok() {
        return failures.isEmpty();
    }

    public String summary() {
        if (ok()) {
            if (unproven > 0) {
                return "OK: report " + reportId + ": " + events + " events (" + redacted + " redacted: content not "
                        + "recomputable; " + unproven + " without inclusion proof: withheld by the redacting export), "
                        + "every file and ZIP byte covered by the signed manifest; " + (events - unproven)
                        + " proofs verify against checkpoint size " + treeSize + " of " + origin;
            }
            return "OK: report " + reportId + ": " + events + " events (" + redacted + " redacted: included, content "
                    + "not recomputable), every file and ZIP byte covered by the signed manifest; all proofs verify "
                    + "against checkpoint size " + treeSize + " of " + origin;
        }
        return "FAILED: " + failures.size() + (failures.size() == 1 ? " failure" : " failures") + " (" + events
                + " events read)";
    }
}
