package io.stenographer.application.port.out;

/** Another transaction recorded an event under the same tenant and idempotency key first. */
public class ClientEventIdTaken extends RuntimeException {

    public ClientEventIdTaken(String message, Throwable cause) {
        super(message, cause);
    }
}
