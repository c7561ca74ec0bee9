package io.stenographer.bootstrap.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.adapters.streaming.TargetAddressGuard;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The start-up check that a sink's lease outlasts two of the longest delivery attempts. */
class StreamsConfigurationTest {

    private static final TargetAddressGuard NOTHING_ALLOWED = target -> List.of();

    @Test
    void theDefaultsPass() {
        StreamsConfiguration configuration = new StreamsConfiguration();
        // attempt 30 s; Kafka: 5 s metadata + 20 s delivery + 5 s margin = 30 s; lease 60 s
        assertThat(configuration.transports(NOTHING_ALLOWED, Clock.systemUTC(), Optional.empty(),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(20),
                Duration.ofSeconds(60))).isNotNull();
        configuration.closeProducers(null);
    }

    @Test
    void aLeaseShorterThanTwoAttemptsIsRefused() {
        assertThatThrownBy(() -> new StreamsConfiguration().transports(NOTHING_ALLOWED, Clock.systemUTC(),
                Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(31),
                Duration.ofSeconds(20), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("stenographer.streams.lease (PT1M) must be at least twice the longest delivery attempt"
                        + " (PT31S: stenographer.streams.attempt-timeout, or a Kafka send's bound, which is the"
                        + " delivery timeout plus up to 10 s)");
    }

    @Test
    void aKafkaSendLongerThanTheAttemptTimeoutSetsTheBound() {
        // Kafka: 5 s + 40 s + 5 s = 50 s, so a 60 s lease is too short even with a 10 s attempt timeout
        assertThatThrownBy(() -> new StreamsConfiguration().transports(NOTHING_ALLOWED, Clock.systemUTC(),
                Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(40), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("(PT50S:");
    }
}
