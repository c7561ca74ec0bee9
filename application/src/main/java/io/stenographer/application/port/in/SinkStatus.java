package io.stenographer.application.port.in;

import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkProgress;
import java.time.Duration;

/**
 * A sink with its delivery progress and lag: {@code lagEvents} published events not yet acknowledged, and
 * {@code lag} since the oldest of them was published (zero when caught up).
 */
public record SinkStatus(Sink sink, SinkProgress progress, long publishedSize, long lagEvents, Duration lag) {
}
