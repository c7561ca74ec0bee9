package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionTimeoutsTest {

    @Test
    void theAttemptMustCoverAConnectAndARead() {
        assertThat(new ConnectionTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10))
                .attempt()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> new ConnectionTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(9))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the attempt timeout (PT9S) must be at least the connect (PT5S) and the read (PT10S) "
                        + "timeout");
    }

    @Test
    void everyTimeoutMustBePositive() {
        assertThatThrownBy(() -> new ConnectionTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("the connect timeout must be positive, was PT0S");
        assertThatThrownBy(() -> new ConnectionTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1),
                Duration.ofSeconds(1))).hasMessage("the read timeout must be positive, was PT-1S");
        assertThatThrownBy(() -> new ConnectionTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), null))
                .isInstanceOf(NullPointerException.class).hasMessage("attempt");
    }
}
