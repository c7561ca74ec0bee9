package io.stenographer.client;

/** Called once for every {@link LogIntegrityException} the client finds; alert on it. Runs on a client thread. */
@FunctionalInterface
public interface IntegrityListener {

    void onIntegrityViolation(LogIntegrityException violation);
}
