package io.stenographer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.RetentionPeriod;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How long report files are kept, and which holds keep one longer. */
class ReportFileRetentionTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-04-01T00:00:00Z");
    private static final ReportFileRetention P90D = new ReportFileRetention(RetentionPeriod.parse("P90D"),
            RetentionPeriod.parse("P1D"));

    private static ReportJob report(TenantId tenant) {
        return ReportJob.request(UUID.randomUUID(), tenant, ReportType.FOIA_EXPORT, ReportFormat.CSV,
                ReportParameters.period(FROM, TO), "ann", TO, 3);
    }

    private static LegalHold hold(TenantId tenant, Instant from, Instant to) {
        return LegalHold.place(HoldId.newTimeOrdered(TO, new SplittableRandom(1)), tenant,
                new HoldCriteria("someone", "case", "C-9", "case.*", from, to), "case-1", "litigation", "counsel", TO);
    }

    @Test
    void aRetentionBelowTheMinimumIsRefusedAndFilesExpireThatLongAfterTheyWereStored() {
        assertThatThrownBy(() -> new ReportFileRetention(RetentionPeriod.parse("PT12H"), RetentionPeriod.parse("P1D")))
                .hasMessageContaining("at least P1D");
        Instant stored = Instant.parse("2026-01-31T10:00:00Z");
        ReportFile file = ReportFile.record(UUID.randomUUID(), ACME, ReportFormat.CSV, 3, new Hash(new byte[32]),
                ReportFile.Location.DATABASE, null, stored, null);
        assertThat(P90D.expiresAt(stored)).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(P90D.expired(file, Instant.parse("2026-05-01T09:59:59Z"))).isFalse();
        assertThat(P90D.expired(file, Instant.parse("2026-05-01T10:00:00Z"))).isTrue();

        ReportFileRetention month = new ReportFileRetention(RetentionPeriod.parse("P1M"), RetentionPeriod.parse("P1D"));
        Instant now = Instant.parse("2026-02-28T10:00:00Z");
        assertThat(month.expired(file, now)).as("a month from 31 January ends on 28 February").isTrue();
        assertThat(file.storedAt()).as("so the candidates' cut-off leaves room for calendar months")
                .isBefore(month.storedBefore(now));
    }

    @Test
    void aHoldKeepsTheFileWhenItIsActiveOfTheTenantAndItsPeriodOverlapsTheReportsWhateverItsOtherCriteria() {
        ReportJob report = report(ACME);
        assertThat(ReportFileRetention.holdKeeping(report, List.of(hold(ACME, null, null)))).isNotNull();
        assertThat(ReportFileRetention.holdKeeping(report, List.of(hold(ACME, TO.minusSeconds(1), null)))).isNotNull();
        assertThat(ReportFileRetention.holdKeeping(report, List.of(hold(ACME, null, FROM.plusSeconds(1))))).isNotNull();
        assertThat(ReportFileRetention.holdKeeping(report, List.of(hold(ACME, TO, null))))
                .as("a hold from the end of the period on (the period's end is exclusive)").isNull();
        assertThat(ReportFileRetention.holdKeeping(report, List.of(hold(ACME, null, FROM))))
                .as("a hold up to the start of the period (its end is exclusive)").isNull();
        assertThat(ReportFileRetention.holdKeeping(report, List.of(hold(TenantId.of("globex"), null, null)))).isNull();
        LegalHold released = hold(ACME, null, null).release("counsel", TO.plusSeconds(5), "settled");
        assertThat(ReportFileRetention.holdKeeping(report, List.of(released))).isNull();
    }
}
