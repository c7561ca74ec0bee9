package io.stenographer.application.port.out;

import java.time.Instant;
import java.util.List;

/** The generations of key-encryption keys: when each began, which is current, rotating and destroying them. */
public interface RotateKeyEncryptionKeysPort {

    /** One generation; {@code retiredAt} is when the next one became current (null for the current one). */
    record Generation(String id, Instant createdAt, Instant retiredAt, boolean destroyed) {
    }

    /** Oldest first; the last one is current. */
    List<Generation> generations();

    /** Adds a new current generation. */
    void rotate();

    /** Destroys a generation that is not current: whatever is wrapped under it can never be unwrapped again. */
    void destroy(String generationId);
}
