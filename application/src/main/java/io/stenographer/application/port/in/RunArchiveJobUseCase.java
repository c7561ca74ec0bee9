package io.stenographer.application.port.in;

/**
 * Copies integrated events that are past their policy's archive-after period into write-once segments,
 * per tenant in index order, and reconciles the archive's legal holds with the active holds.
 */
public interface RunArchiveJobUseCase {

    JobRun run(RunJobCommand request);
}
