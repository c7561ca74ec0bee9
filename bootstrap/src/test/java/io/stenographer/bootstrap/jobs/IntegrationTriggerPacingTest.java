package io.stenographer.bootstrap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.IntegrateEventsUseCase.IntegrationRound;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The wait between sequencer rounds: none while a backlog remains, the period otherwise. */
class IntegrationTriggerPacingTest {

    private static final Duration PERIOD = Duration.ofMillis(250);

    @Test
    void aRoundThatLeftABacklogIsFollowedAtOnce() {
        IntegrationRound round = new IntegrationRound(20_000, Map.of(), Map.of(), true);

        assertThat(IntegrationTrigger.delayAfter(Optional.of(round), PERIOD)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRoundThatCaughtUpOrFailedWaitsThePeriod() {
        IntegrationRound caughtUp = new IntegrationRound(12, Map.of(), Map.of(), false);

        assertThat(IntegrationTrigger.delayAfter(Optional.of(caughtUp), PERIOD)).isEqualTo(PERIOD);
        assertThat(IntegrationTrigger.delayAfter(Optional.empty(), PERIOD)).isEqualTo(PERIOD);
    }
}
