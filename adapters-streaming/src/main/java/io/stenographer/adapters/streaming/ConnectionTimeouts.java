package io.stenographer.adapters.streaming;

import java.time.Duration;
import java.util.Objects;

/**
 * The timeouts of a webhook or syslog delivery attempt.
 *
 * @param connect how long a TCP connection to one address may take
 * @param read    how long each read may wait
 * @param attempt how long the whole attempt may take, connection, TLS handshake, sending and the receiver's answer
 *                together; when it is up the connection is closed and the attempt has failed. It is the bound the
 *                sink's lease is sized against.
 */
public record ConnectionTimeouts(Duration connect, Duration read, Duration attempt) {

    public static final ConnectionTimeouts DEFAULTS = new ConnectionTimeouts(Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30));

    public ConnectionTimeouts {
        requirePositive(connect, "connect");
        requirePositive(read, "read");
        requirePositive(attempt, "attempt");
        if (attempt.compareTo(connect) < 0 || attempt.compareTo(read) < 0) {
            throw new IllegalArgumentException("the attempt timeout (" + attempt + ") must be at least the connect ("
                    + connect + ") and the read (" + read + ") timeout");
        }
    }

    private static void requirePositive(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the " + name + " timeout must be positive, was " + timeout);
        }
    }
}
