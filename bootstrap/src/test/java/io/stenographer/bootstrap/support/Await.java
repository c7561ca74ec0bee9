package io.stenographer.bootstrap.support;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for what a background thread (sequencer, report worker) or the clock brings about: returns as
 * soon as the condition holds, fails with what it waited for and what it last saw at the deadline.
 * Never a fixed sleep; the short pause between polls only keeps the loop from spinning.
 */
public final class Await {

    /** Generous on purpose: the suite must pass on a loaded 2-core machine. */
    public static final Duration DEADLINE = Duration.ofSeconds(90);

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Await() {
    }

    /** Polls {@code observe} until {@code done} accepts what it saw, and returns that. */
    public static <T> T until(String what, Duration deadline, Supplier<T> observe, Predicate<? super T> done) {
        return until(what, deadline, observe, done, String::valueOf);
    }

    /** As above; {@code describe} says what was last seen when the deadline passes. */
    public static <T> T until(String what, Duration deadline, Supplier<T> observe, Predicate<? super T> done,
            Function<? super T, String> describe) {
        long start = System.nanoTime();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            T seen = observe.get();
            if (done.test(seen)) {
                return seen;
            }
            long waited = System.nanoTime() - start;
            if (waited >= deadline.toNanos()) {
                throw new AssertionError("waited " + deadline.toSeconds() + " s for " + what
                        + ", in vain; last seen: " + describe.apply(seen));
            }
            pause(Math.min(pause, deadline.toNanos() - waited));
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        until(what, deadline, condition::getAsBoolean, Boolean::booleanValue);
    }

    /** Polls {@code probe} until it finds something, and returns it. */
    public static <T> T present(String what, Duration deadline, Supplier<Optional<T>> probe) {
        return until(what, deadline, probe, Optional::isPresent).orElseThrow();
    }

    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
