package io.stenographer.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.privacy.DataKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DataKeyCacheTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TTL = Duration.ofMinutes(5);

    private record Id(String tenant, UUID keyId) {
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T03:00:00Z"));
    private final DataKeyCache<Id> cache = new DataKeyCache<>(3, TTL, clock);
    private final AtomicInteger loads = new AtomicInteger();
    private final Function<Id, DataKey> loader = id -> {
        loads.incrementAndGet();
        return DataKey.generate(RANDOM);
    };

    @Test
    void aKeyIsServedFromTheCacheUntilItsTtlEndsThenLoadedAgain() {
        Id id = id();
        DataKey first = cache.get(id, loader);

        clock.advance(TTL.minusSeconds(1));
        assertThat(cache.get(id, loader)).isEqualTo(first);
        assertThat(loads).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get(id, loader)).isNotEqualTo(first);
        assertThat(loads).hasValue(2);
    }

    @Test
    void theLeastRecentlyUsedKeyIsEvictedBeyondTheBound() {
        Id a = id();
        Id b = id();
        Id c = id();
        cache.get(a, loader);
        cache.get(b, loader);
        cache.get(c, loader);
        cache.get(a, loader); // a is now the most recently used, b the least

        cache.get(id(), loader);
        assertThat(cache.size()).isEqualTo(3);
        assertThat(loads).hasValue(4);

        cache.get(a, loader);
        cache.get(c, loader);
        assertThat(loads).hasValue(4);
        cache.get(b, loader);
        assertThat(loads).hasValue(5);
    }

    @Test
    void evictAndEvictAllForgetKeys() {
        Id a = id();
        Id b = id();
        cache.get(a, loader);
        cache.get(b, loader);

        cache.evict(a);
        cache.get(a, loader);
        cache.get(b, loader);
        assertThat(loads).hasValue(3);

        cache.evictAll();
        assertThat(cache.size()).isZero();
        cache.get(a, loader);
        cache.get(b, loader);
        assertThat(loads).hasValue(5);
    }

    @Test
    void aFailedLoadIsNotCached() {
        Id id = id();
        RuntimeException unavailable = new IllegalStateException("key manager down");

        assertThatThrownBy(() -> cache.get(id, ignored -> {
            throw unavailable;
        })).isSameAs(unavailable);
        assertThat(cache.size()).isZero();

        cache.get(id, loader);
        assertThat(loads).hasValue(1);
    }

    @Test
    void concurrentMissesForOneKeyShareOneLoad() throws InterruptedException {
        int callers = 8;
        Id id = id();
        DataKey expected = DataKey.generate(RANDOM);
        GatedLoader slowLoader = new GatedLoader(() -> expected);
        ConcurrentLinkedQueue<DataKey> results = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(new Thread(() -> results.add(cache.get(id, slowLoader))));
        }

        threads.forEach(Thread::start);
        assertThat(slowLoader.started.await(10, TimeUnit.SECONDS)).isTrue();
        // Every caller but the loading one is parked on the shared load before it is released.
        awaitCondition(() -> threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count()
                == callers - 1);
        slowLoader.release.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(thread.isAlive()).isFalse();
        }

        assertThat(loads).hasValue(1);
        assertThat(results).hasSize(callers).containsOnly(expected);
    }

    @Test
    void callersWaitingOnAFailedLoadGetItsFailureAndTheNextCallLoadsAgain() throws InterruptedException {
        Id id = id();
        RuntimeException failure = new IllegalStateException("unwrap failed");
        GatedLoader failingLoader = new GatedLoader(() -> {
            throw failure;
        });
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Runnable call = () -> {
            try {
                cache.get(id, failingLoader);
            } catch (RuntimeException e) {
                errors.add(e);
            }
        };
        Thread first = new Thread(call);
        Thread second = new Thread(call);

        first.start();
        assertThat(failingLoader.started.await(10, TimeUnit.SECONDS)).isTrue();
        second.start();
        awaitCondition(() -> second.getState() == Thread.State.WAITING);
        failingLoader.release.countDown();
        first.join(TimeUnit.SECONDS.toMillis(10));
        second.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(errors).hasSize(2).allMatch(e -> e == failure);
        assertThat(loads).hasValue(1);
        cache.get(id, loader);
        assertThat(loads).hasValue(2);
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new DataKeyCache<Id>(0, TTL, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DataKeyCache<Id>(1, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A loader that counts its calls, says when it started, and finishes only once released. */
    private final class GatedLoader implements Function<Id, DataKey> {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final Supplier<DataKey> outcome;

        GatedLoader(Supplier<DataKey> outcome) {
            this.outcome = outcome;
        }

        @Override
        public DataKey apply(Id id) {
            loads.incrementAndGet();
            started.countDown();
            await(release);
            return outcome.get();
        }
    }

    private static Id id() {
        return new Id("acme", UUID.randomUUID());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls a condition until it holds; the deadline only bounds a broken run, it is never what the test waits for. */
    private static void awaitCondition(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.onSpinWait();
        }
    }
}
