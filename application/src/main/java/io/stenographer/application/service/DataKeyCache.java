package io.stenographer.application.service;

import io.stenographer.domain.privacy.DataKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Unwrapped data keys, kept for a short time so that reading a page of events does not call the key manager once per
 * event. Bounded (the least recently used entry goes first) and with a time to live counted from the load, so a key
 * whose KEK generation was destroyed stops being served within the TTL on every instance.
 *
 * <p>Concurrent misses for one key share one load: the first caller runs the loader outside the lock and the others
 * wait for its result, so a burst of reads costs one unwrap. A failed load is not kept; the next call tries again.
 *
 * @param <K> an opaque key, e.g. a record of tenant and data key id
 */
public final class DataKeyCache<K> {

    /** A load, finished or still running; {@code expiresAt} is set when it finishes. */
    private static final class Entry {
        final CompletableFuture<DataKey> key = new CompletableFuture<>();
        volatile Instant expiresAt;

        boolean expired(Instant now) {
            Instant expiry = expiresAt;
            return expiry != null && !now.isBefore(expiry);
        }
    }

    private final int maxEntries;
    private final Duration ttl;
    private final Clock clock;
    private final Map<K, Entry> entries;

    public DataKeyCache(int maxEntries, Duration ttl, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
        }
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry> eldest) {
                return size() > DataKeyCache.this.maxEntries;
            }
        };
    }

    /**
     * The cached key, or the loader's result, which is then cached; a loader exception reaches this caller and every
     * caller that waited for that load, and nothing is cached.
     */
    public DataKey get(K key, Function<K, DataKey> loader) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        Entry entry;
        boolean load = false;
        synchronized (entries) {
            entry = entries.get(key);
            if (entry == null || entry.expired(clock.instant())) {
                entry = new Entry();
                entries.put(key, entry);
                load = true;
            }
        }
        if (load) {
            return load(key, entry, loader);
        }
        try {
            return entry.key.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private DataKey load(K key, Entry entry, Function<K, DataKey> loader) {
        DataKey loaded;
        try {
            loaded = Objects.requireNonNull(loader.apply(key), "the loader returned no key");
        } catch (RuntimeException | Error e) {
            synchronized (entries) {
                entries.remove(key, entry);
            }
            entry.key.completeExceptionally(e);
            throw e;
        }
        entry.expiresAt = clock.instant().plus(ttl);
        entry.key.complete(loaded);
        return loaded;
    }

    /** Forgets one key, e.g. once its data key was shredded; a load still running for it is not cached. */
    public void evict(K key) {
        synchronized (entries) {
            entries.remove(key);
        }
    }

    /** Forgets every key, e.g. after a KEK generation was destroyed. */
    public void evictAll() {
        synchronized (entries) {
            entries.clear();
        }
    }

    public int maxEntries() {
        return maxEntries;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Keys held now, loads in flight included. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
