package io.stenographer.application.port.out;

import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.report.bundle.ReportManifest;

/**
 * Signs report bundle manifests with the log key. Only manifests: their first line can never be a
 * checkpoint, so this cannot be used to forge checkpoints.
 */
public interface SignReportManifestPort {

    SignedNote signManifest(ReportManifest manifest);
}
