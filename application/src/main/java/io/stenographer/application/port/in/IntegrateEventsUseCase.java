package io.stenographer.application.port.in;

/** The sequencer: give pending events their leaf indices, extend the trees, sign checkpoints. */
public interface IntegrateEventsUseCase {

    /** One round over every tenant with pending events; returns how many events were integrated. */
    long integratePending();
}
