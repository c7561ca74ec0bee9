package io.stenographer.bootstrap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.in.IntegrateEventsUseCase.IntegrationRound;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The wait between sequencer rounds: none while a backlog remains; otherwise rounds start a period apart. */
class IntegrationTriggerPacingTest {

    private static final Duration PERIOD = Duration.ofMillis(250);

    @Test
    void aRoundThatLeftABacklogIsFollowedAtOnce() {
        IntegrationRound round = new IntegrationRound(20_000, Map.of(), Map.of(), true);

        assertThat(IntegrationTrigger.delayAfter(Optional.of(round), PERIOD, Duration.ofMillis(3)))
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void aRoundThatCaughtUpWaitsWhatIsLeftOfThePeriodSinceItStarted() {
        IntegrationRound caughtUp = new IntegrationRound(12, Map.of(), Map.of(), false);

        assertThat(IntegrationTrigger.delayAfter(Optional.of(caughtUp), PERIOD, Duration.ofMillis(2)))
                .isEqualTo(Duration.ofMillis(248));
        assertThat(IntegrationTrigger.delayAfter(Optional.of(caughtUp), PERIOD, Duration.ofMillis(180)))
                .isEqualTo(Duration.ofMillis(70));
        assertThat(IntegrationTrigger.delayAfter(Optional.of(caughtUp), PERIOD, Duration.ofMillis(400)))
                .as("a round longer than the period is followed at once").isEqualTo(Duration.ZERO);
    }

    @Test
    void aFailedRoundWaitsTheWholePeriodSoAFailingDatabaseIsNotRetriedHot() {
        assertThat(IntegrationTrigger.delayAfter(Optional.empty(), PERIOD, Duration.ofSeconds(2))).isEqualTo(PERIOD);
    }
}
