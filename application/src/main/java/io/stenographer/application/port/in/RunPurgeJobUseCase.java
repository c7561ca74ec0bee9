package io.stenographer.application.port.in;

/**
 * Removes from the hot store the events that are archived and confirmed, past archive-after and under no
 * hold; then deletes archive copies whose retention ended and which no hold covers.
 */
public interface RunPurgeJobUseCase {

    JobRun run(RunJobCommand request);
}
