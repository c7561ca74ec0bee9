package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.domain.archive.SegmentCheck;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A WORM object store in memory. It never overwrites, refuses deletion under a lock or hold, records every
 * put (with the lock and checksum asked for) and can be told to go down after some puts, to be unreachable,
 * to answer with another lock mode, or to lack Object Lock altogether.
 */
public final class InMemoryArchive implements ArchiveSegmentsPort {

    /** One accepted put: the lock and checksum the caller asked for. */
    public record Put(String key, String sha256Hex, Instant retainUntil) {
    }

    private static final class StoredBytes {
        byte[] content;
        final String sha256Hex;
        final Lock lock;
        Instant retainUntil;
        boolean legalHold;

        StoredBytes(byte[] content, String sha256Hex, Lock lock, Instant retainUntil) {
            this.content = content;
            this.sha256Hex = sha256Hex;
            this.lock = lock;
            this.retainUntil = retainUntil;
        }
    }

    private final Clock clock;
    private Duration latency;
    private final Map<String, StoredBytes> objects = new LinkedHashMap<>();
    private final List<Put> puts = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private final List<String> holdChanges = new ArrayList<>();
    private int putsUntilDown = Integer.MAX_VALUE;
    private boolean down;
    private boolean wormCapable = true;
    private Lock lock = Lock.WRITE_ONCE;

    public InMemoryArchive(Clock clock) {
        this.clock = clock;
    }

    /** After {@code puts} more accepted puts the store goes down: every later call throws ArchiveUnavailable. */
    public void goDownAfterPuts(int puts) {
        putsUntilDown = puts;
    }

    /** The object disappears from the store (as if removed around the service), leaving its catalogue row. */
    public void remove(String key) {
        objects.remove(key);
    }

    /** Every legal-hold call takes {@code perCall} on the (mutable) clock, like a slow network to the store. */
    public void slowDown(Duration perCall) {
        if (!(clock instanceof MutableClock)) {
            throw new IllegalStateException("latency needs a MutableClock");
        }
        latency = perCall;
    }

    public void goDown() {
        down = true;
    }

    public void comeBack() {
        down = false;
        putsUntilDown = Integer.MAX_VALUE;
    }

    /** New objects get this lock (a bucket configured for an overridable lock, say) instead of write-once. */
    public void answerLock(Lock lock) {
        this.lock = lock;
    }

    public void withoutObjectLock() {
        wormCapable = false;
    }

    /** An object left by someone else (an earlier, interrupted run), stored under a COMPLIANCE lock. */
    public void plant(String key, byte[] content, Instant retainUntil) {
        objects.put(key, new StoredBytes(content.clone(), SegmentCheck.sha256Hex(content), Lock.WRITE_ONCE, retainUntil));
    }

    /** The bytes change behind the store's back; the checksum it reports stays the one it was given. */
    public void corrupt(String key, byte[] content) {
        objects.get(key).content = content.clone();
    }

    public List<Put> puts() {
        return List.copyOf(puts);
    }

    public Set<String> keys() {
        return Set.copyOf(objects.keySet());
    }

    public byte[] bytes(String key) {
        return objects.get(key).content.clone();
    }

    public boolean legalHold(String key) {
        return objects.get(key).legalHold;
    }

    /** Every setLegalHold call, as "key=ON" or "key=OFF". */
    public List<String> holdChanges() {
        return List.copyOf(holdChanges);
    }

    public List<String> deleted() {
        return List.copyOf(deleted);
    }

    @Override
    public void checkWormCapable() {
        requireUp();
        if (!wormCapable) {
            throw new ArchiveNotWormCapable("the bucket has no Object Lock");
        }
    }

    @Override
    public StoredObject put(String key, byte[] content, String sha256Hex, Instant retainUntil) {
        requireUp();
        if (objects.containsKey(key)) {
            throw new ArchiveObjectExists(key);
        }
        if (!SegmentCheck.sha256Hex(content).equalsIgnoreCase(sha256Hex)) {
            throw new ArchiveChecksumMismatch(key, "content of " + key + " does not match " + sha256Hex);
        }
        objects.put(key, new StoredBytes(content.clone(), sha256Hex.toLowerCase(Locale.ROOT), lock,
                retainUntil));
        puts.add(new Put(key, sha256Hex, retainUntil));
        putsUntilDown--;
        return stored(key, objects.get(key));
    }

    @Override
    public Optional<StoredObject> describe(String key) {
        requireUp();
        StoredBytes stored = objects.get(key);
        return stored == null ? Optional.empty() : Optional.of(stored(key, stored));
    }

    private static StoredObject stored(String key, StoredBytes stored) {
        return new StoredObject(key, stored.content.length, stored.sha256Hex, stored.lock, stored.retainUntil,
                stored.legalHold);
    }

    @Override
    public InputStream open(String key) {
        requireUp();
        StoredBytes stored = objects.get(key);
        if (stored == null) {
            throw new ArchiveObjectNotFound(key);
        }
        return new ByteArrayInputStream(stored.content.clone());
    }

    @Override
    public StoredObject extendLock(String key, Instant retainUntil) {
        requireUp();
        StoredBytes stored = objects.get(key);
        if (stored == null) {
            throw new ArchiveObjectNotFound(key);
        }
        if (stored.retainUntil == null || stored.retainUntil.isBefore(retainUntil)) {
            stored.retainUntil = retainUntil;
        }
        return stored(key, stored);
    }

    @Override
    public StoredObject setLegalHold(String key, boolean on) {
        requireUp();
        if (latency != null) {
            ((MutableClock) clock).advance(latency);
        }
        StoredBytes stored = objects.get(key);
        if (stored == null) {
            throw new ArchiveObjectNotFound(key);
        }
        stored.legalHold = on;
        holdChanges.add(key + (on ? "=ON" : "=OFF"));
        return stored(key, stored);
    }

    @Override
    public void delete(String key) {
        requireUp();
        StoredBytes stored = objects.get(key);
        if (stored == null) {
            return;
        }
        if (stored.legalHold || stored.lock == Lock.WRITE_ONCE && clock.instant().isBefore(stored.retainUntil)) {
            throw new ArchiveDeletionRefused(key + " is still locked");
        }
        objects.remove(key);
        deleted.add(key);
    }

    private void requireUp() {
        if (down || putsUntilDown <= 0) {
            throw new ArchiveUnavailable("the archive is unreachable", null);
        }
    }
}
