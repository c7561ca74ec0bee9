package io.stenographer.application.port.in;

/**
 * Appends one console view or download to the tenant's log as {@value #ACTION}, the way the API's reads are: who
 * looked, at which page, with which filters. One per user-visible action, never per fragment.
 */
public interface RecordConsoleViewUseCase {

    String ACTION = "audit.console.view";

    void record(ConsoleViewCommand command);
}
