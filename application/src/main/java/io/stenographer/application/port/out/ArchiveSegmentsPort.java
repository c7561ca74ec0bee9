package io.stenographer.application.port.out;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Write-once storage for archive segments (compressed NDJSON of events plus a manifest). Every object
 * is stored under a retention lock; nothing here can overwrite an object, and deletion is refused by
 * the store itself while a lock or legal hold applies (S3 Object Lock in COMPLIANCE mode, or the local
 * directory archive's own checks).
 *
 * <p>Keys are chosen by the caller and are deterministic for a segment's index range, so a retried
 * upload finds the object an earlier, interrupted attempt left behind.
 */
public interface ArchiveSegmentsPort {

    /**
     * Confirms the store can hold WORM objects (for S3: the bucket exists and has Object Lock
     * enabled). Throws {@link ArchiveNotWormCapable} with an operator-readable message if it cannot,
     * {@link ArchiveUnavailable} if the store cannot be reached.
     */
    void checkWormCapable();

    /**
     * Stores a new object under a write-once lock until {@code retainUntil}, sending its SHA-256
     * for the store to check, then reads the object's lock, legal hold and checksum back.
     * Throws {@link ArchiveObjectExists} if the key is already taken (use {@link #describe} first), and
     * {@link ArchiveChecksumMismatch} if the content does not match {@code sha256Hex} (nothing is kept).
     */
    StoredObject put(String key, byte[] content, String sha256Hex, Instant retainUntil);

    /**
     * As {@link #put(String, byte[], String, Instant)}, for content too large to hold in memory (report files): the
     * {@code size} bytes {@code content} yields, opened once per attempt, which must hash to {@code sha256Hex}
     * ({@link ArchiveChecksumMismatch} otherwise, and nothing is kept). Both store adapters stream; this default
     * reads the content into memory first, for in-memory stores.
     */
    default StoredObject put(String key, ContentSource content, long size, String sha256Hex, Instant retainUntil) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("this store cannot hold objects of " + size + " bytes");
        }
        byte[] bytes;
        try (InputStream in = content.open()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ArchiveUnavailable("the content of " + key + " could not be read: " + e.getMessage(), e);
        }
        if (bytes.length != size) {
            throw new ArchiveChecksumMismatch(key, "archive object " + key + ": the content has " + bytes.length
                    + " bytes, not the " + size + " announced; nothing was stored");
        }
        return put(key, bytes, sha256Hex, retainUntil);
    }

    /** The object's properties as the store reports them now, or empty if there is no such object. */
    Optional<StoredObject> describe(String key);

    /**
     * Streams the object's bytes; the caller checks them against the manifest's SHA-256.
     * Throws {@link ArchiveObjectNotFound} if there is no such object.
     */
    InputStream open(String key);

    /**
     * Sets the object's write-once lock to at least {@code retainUntil}: extends it, never shortens it (a
     * WORM lock can only grow). For an object an interrupted upload left without its retention. Returns the
     * properties read back afterwards; throws {@link ArchiveObjectNotFound} if there is no such object.
     */
    StoredObject extendLock(String key, Instant retainUntil);

    /**
     * Turns the object's legal hold on or off; returns the properties read back afterwards.
     * Throws {@link ArchiveObjectNotFound} if there is no such object.
     */
    StoredObject setLegalHold(String key, boolean on);

    /**
     * Deletes an object whose retention has passed and which carries no legal hold. The store refuses
     * (with {@link ArchiveDeletionRefused}) anything still locked. Deleting a key that holds no object
     * does nothing, so an interrupted purge can simply be repeated.
     */
    void delete(String key);

    /** Where the bytes of a streamed {@link #put} come from: a fresh stream over the same bytes on every call. */
    interface ContentSource {
        InputStream open() throws IOException;
    }

    /**
     * Reading an object to its end gave bytes that do not match the SHA-256 the store recorded for it: the object was
     * changed or damaged in the store. Thrown by the streams {@link #open} returns; other {@link IOException}s from
     * them mean the store could not be read.
     */
    final class ArchiveContentMismatch extends IOException {
        private static final long serialVersionUID = 1L;

        public ArchiveContentMismatch(String message) {
            super(message);
        }

        public ArchiveContentMismatch(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** How a stored object is protected from deletion and overwrite; only the store adapters know their own words. */
    enum Lock {
        /** No retention is set. */
        NONE,
        /** A retention that a privileged account can lift or shorten: not enough for an audit archive. */
        OVERRIDABLE,
        /** Write once: nobody, the account owner included, can shorten or lift it before it passes. */
        WRITE_ONCE
    }

    /** An object's properties as read back from the store. */
    record StoredObject(String key, long size, String sha256Hex, Lock lock, Instant retainUntil,
            boolean legalHold) {

        public StoredObject {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(lock, "lock");
        }

        /** True when the store confirms the lock, the checksum and the hold state the caller expects. */
        public boolean confirms(String expectedSha256Hex, Instant expectedRetainUntil) {
            return lock == Lock.WRITE_ONCE
                    && expectedSha256Hex.equalsIgnoreCase(sha256Hex == null ? "" : sha256Hex)
                    && retainUntil != null && !retainUntil.isBefore(expectedRetainUntil);
        }
    }

    /** The store could not be reached or answered with an error; nothing was changed by this call. */
    final class ArchiveUnavailable extends RuntimeException {
        public ArchiveUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The store exists but cannot keep objects immutable (for S3: Object Lock is not enabled). */
    final class ArchiveNotWormCapable extends RuntimeException {
        public ArchiveNotWormCapable(String message) {
            super(message);
        }
    }

    /** An object already exists under the key; archives never overwrite. */
    final class ArchiveObjectExists extends RuntimeException {
        private final String key;

        public ArchiveObjectExists(String key) {
            super("an archive object already exists under " + key + "; archives never overwrite");
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** No object exists under the key. */
    final class ArchiveObjectNotFound extends RuntimeException {
        private final String key;

        public ArchiveObjectNotFound(String key) {
            super("no archive object exists under " + key);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * The content does not match the SHA-256 the caller gave for it (a wrong hash, or bytes corrupted on
     * the way to the store). Nothing was stored.
     */
    final class ArchiveChecksumMismatch extends RuntimeException {
        private final String key;

        public ArchiveChecksumMismatch(String key, String message) {
            super(message);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** Deletion refused because the object's retention or a legal hold still applies. */
    final class ArchiveDeletionRefused extends RuntimeException {
        public ArchiveDeletionRefused(String message) {
            super(message);
        }
    }
}
