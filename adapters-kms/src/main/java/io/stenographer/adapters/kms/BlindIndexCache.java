package io.stenographer.adapters.kms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Blind indexes computed by KMS, kept so that ingest does not call GenerateMac for every subject of every batch.
 * Bounded (least recently used goes first), each entry living {@code ttl} from its computation. Concurrent misses
 * for one key wait for one computation; a failure is not kept. (The application's DataKeyCache has this shape, but
 * adapters may not depend on services.)
 */
final class BlindIndexCache {

    private static final class Entry {
        final CompletableFuture<byte[]> value = new CompletableFuture<>();
        volatile Instant expiresAt;

        boolean expired(Instant now) {
            Instant expiry = expiresAt;
            return expiry != null && !now.isBefore(expiry);
        }
    }

    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> entries;

    BlindIndexCache(int maxEntries, Duration ttl, Clock clock) {
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** A copy of the cached index, or of {@code compute}'s, which is then cached. */
    byte[] get(String key, Supplier<byte[]> compute) {
        Entry entry;
        boolean mine = false;
        synchronized (entries) {
            entry = entries.get(key);
            if (entry == null || entry.expired(clock.instant())) {
                entry = new Entry();
                entries.put(key, entry);
                mine = true;
            }
        }
        if (mine) {
            byte[] computed;
            try {
                computed = Objects.requireNonNull(compute.get(), "no index computed").clone();
            } catch (RuntimeException | Error e) {
                synchronized (entries) {
                    entries.remove(key, entry);
                }
                entry.value.completeExceptionally(e);
                throw e;
            }
            entry.expiresAt = clock.instant().plus(ttl);
            entry.value.complete(computed);
            return computed.clone();
        }
        try {
            return entry.value.join().clone();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
