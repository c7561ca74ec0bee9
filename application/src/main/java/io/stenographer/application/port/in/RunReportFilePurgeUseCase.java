package io.stenographer.application.port.in;

/**
 * Deletes the report files whose retention ended ({@code stenographer.reports.files.retention}) and which no legal hold
 * keeps, through the database's narrow purge function; each purge is recorded in the report's tenant's log. The report
 * and the file's record (size, SHA-256, when it was purged) stay.
 */
public interface RunReportFilePurgeUseCase {

    JobRun run(RunJobCommand request);
}
