package io.stenographer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportRulesTest {

    private static final Instant T0 = ReportFixture.T0;
    private static final Instant END = T0.plus(Duration.ofDays(1));

    private static ReportParameters denied(int threshold, Duration window) {
        return new ReportParameters(T0, END, null, null, null, null, null, null, null, threshold, window, null,
                100, null, null, true, null, false);
    }

    private static List<Finding> findings(ReportFixture log, ReportType type, ReportParameters parameters) {
        return log.build(type, parameters, ReportFormat.JSON, null).document().findings();
    }

    @Test
    void repeatedDenialsAreFlaggedAtTheThresholdAndNotBelowIt() {
        ReportFixture below = new ReportFixture();
        for (int i = 0; i < 4; i++) {
            below.add("mallory", "case.view", Outcome.DENIED, null, T0.plusSeconds(60L * i));
        }
        assertThat(findings(below, ReportType.DENIED_ACCESS, denied(5, Duration.ofMinutes(10)))).isEmpty();

        ReportFixture at = new ReportFixture();
        for (int i = 0; i < 5; i++) {
            at.add("mallory", "case.view", Outcome.DENIED, null, T0.plusSeconds(60L * i));
        }
        List<Finding> found = findings(at, ReportType.DENIED_ACCESS, denied(5, Duration.ofMinutes(10)));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("repeated-denials");
            assertThat(f.subject()).isEqualTo("mallory");
            assertThat(f.count()).isEqualTo(5);
            assertThat(f.from()).isEqualTo(T0);
            assertThat(f.to()).isEqualTo(T0.plusSeconds(240));
            assertThat(f.rule()).isEqualTo("denied-access/1");
        });
    }

    @Test
    void theWindowIsInclusiveAtBothEndsAndAttemptsSpreadWiderAreNotFlagged() {
        ReportFixture edge = new ReportFixture();
        edge.add("eve", "case.view", Outcome.DENIED, null, T0);
        edge.add("eve", "case.view", Outcome.DENIED, null, T0.plusSeconds(300));
        edge.add("eve", "case.view", Outcome.DENIED, null, T0.plusSeconds(600));
        assertThat(findings(edge, ReportType.DENIED_ACCESS, denied(3, Duration.ofMinutes(10)))).hasSize(1);

        ReportFixture wide = new ReportFixture();
        wide.add("eve", "case.view", Outcome.DENIED, null, T0);
        wide.add("eve", "case.view", Outcome.DENIED, null, T0.plusSeconds(300));
        wide.add("eve", "case.view", Outcome.DENIED, null, T0.plusSeconds(601));
        assertThat(findings(wide, ReportType.DENIED_ACCESS, denied(3, Duration.ofMinutes(10)))).isEmpty();
    }

    @Test
    void separateBurstsAreSeparateFindingsAndOtherActorsDoNotCount() {
        ReportFixture log = new ReportFixture();
        for (int i = 0; i < 3; i++) {
            log.add("eve", "case.view", Outcome.DENIED, null, T0.plusSeconds(i));
            log.add("bob-" + i, "case.view", Outcome.DENIED, null, T0.plusSeconds(i));
        }
        for (int i = 0; i < 4; i++) {
            log.add("eve", "case.view", Outcome.DENIED, null, T0.plusSeconds(7200 + i));
        }
        log.add("eve", "case.view", Outcome.SUCCESS, null, T0.plusSeconds(7205));
        List<Finding> found = findings(log, ReportType.DENIED_ACCESS, denied(3, Duration.ofMinutes(1)));
        assertThat(found).extracting(Finding::subject).containsExactly("eve", "eve");
        assertThat(found).extracting(Finding::count).containsExactly(3L, 4L);
        ReportTable byActor = log.build(ReportType.DENIED_ACCESS, denied(3, Duration.ofMinutes(1)), ReportFormat.JSON,
                null).document().results().get(0).tables().get(0);
        assertThat(byActor.rows().get(0)).containsExactly("eve", "7");
        assertThat(byActor.rows()).hasSize(4);
    }

    @Test
    void deniedReportSelectsDeniedEventsOnly() throws Exception {
        ReportFixture log = new ReportFixture();
        log.add("eve", "case.view", Outcome.DENIED, null, T0);
        log.add("eve", "case.view", Outcome.SUCCESS, null, T0);
        log.add("eve", "case.view", Outcome.FAILURE, null, T0);
        ReportFixture.Built built = log.build(ReportType.DENIED_ACCESS, denied(5, Duration.ofMinutes(1)),
                ReportFormat.JSON, null);
        assertThat(built.entries()).extracting(ReportEntry::index).containsExactly(0L);
        assertThat(built.definition().selectedCount()).isEqualTo(1);
    }

    @Test
    void unjustifiedAccessIsASensitiveActionWithoutAReason() throws Exception {
        ReportFixture log = new ReportFixture();
        log.add("ann", "case.export", Outcome.SUCCESS, null, T0);
        log.add("ann", "case.export", Outcome.SUCCESS, "court order 7", T0);
        log.add("ann", "case.create", Outcome.SUCCESS, null, T0);
        log.add("ben", "case.view", Outcome.SUCCESS, null, T0.plusSeconds(1));
        ReportParameters parameters = ReportParameters.fromJson(ReportType.UNJUSTIFIED_ACCESS,
                json("{\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-02T00:00:00Z\","
                        + "\"sensitiveActions\":[\"*.export\",\"*.view\"]}"));
        ReportFixture.Built built = log.build(ReportType.UNJUSTIFIED_ACCESS, parameters, ReportFormat.JSON, null);
        assertThat(built.entries()).extracting(ReportEntry::index).containsExactly(0L, 3L);
        assertThat(built.document().findings()).extracting(Finding::subject, Finding::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ann", 1L),
                        org.assertj.core.groups.Tuple.tuple("ben", 1L));
        assertThat(built.document().header().ruleVersions()).containsExactly("summary/1", "unjustified-access/1");
    }

    @Test
    void unusualVolumeFlagsMoreThanTheThresholdInAWindowAndListsExactlyThoseEvents() throws Exception {
        ReportFixture log = new ReportFixture();
        for (int i = 0; i < 4; i++) {
            log.add("bulk", "case.export", Outcome.SUCCESS, "x", T0.plusSeconds(i));
        }
        for (int i = 0; i < 3; i++) {
            log.add("steady", "case.view", Outcome.SUCCESS, "x", T0.plusSeconds(i));
        }
        log.add("bulk", "case.export", Outcome.SUCCESS, "x", T0.plusSeconds(3600));
        log.add("bulk", "case.edit", Outcome.SUCCESS, "x", T0.plusSeconds(5));
        ReportParameters parameters = ReportParameters.fromJson(ReportType.UNUSUAL_VOLUME,
                json("{\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-02T00:00:00Z\",\"volumeThreshold\":3,"
                        + "\"volumeWindow\":\"PT1H\"}"));
        ReportFixture.Built built = log.build(ReportType.UNUSUAL_VOLUME, parameters, ReportFormat.JSON, null);
        assertThat(built.document().findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("bulk");
            assertThat(f.count()).isEqualTo(4);
            assertThat(f.from()).isEqualTo(T0);
        });
        assertThat(built.entries()).extracting(ReportEntry::index).containsExactly(0L, 1L, 2L, 3L);
        assertThat(built.definition().selectedCount()).isEqualTo(4);
    }

    @Test
    void recordAccessCountsAccessesToOneResourceByActor() throws Exception {
        ReportFixture log = new ReportFixture();
        log.add("ann", "case.view", "C-9", Outcome.SUCCESS, "ticket 1", T0, null);
        log.add("ann", "case.view", "C-9", Outcome.DENIED, null, T0.plusSeconds(5), null);
        log.add("ben", "case.export", "C-9", Outcome.SUCCESS, "ticket 2", T0.plusSeconds(9), null);
        log.add("ben", "case.create", "C-9", Outcome.SUCCESS, "ticket 2", T0.plusSeconds(9), null);
        log.add("ann", "case.view", "C-8", Outcome.SUCCESS, "other", T0, null);
        log.add("ann", "case.view", "C-9", Outcome.SUCCESS, "too late", END, null);
        ReportParameters parameters = ReportParameters.fromJson(ReportType.RECORD_ACCESS,
                json("{\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-02T00:00:00Z\",\"resourceType\":\"case\","
                        + "\"resourceId\":\"C-9\"}"));
        ReportFixture.Built built = log.build(ReportType.RECORD_ACCESS, parameters, ReportFormat.JSON, null);
        assertThat(built.entries()).extracting(ReportEntry::index).containsExactly(0L, 1L, 2L);
        assertThat(built.document().findings()).extracting(Finding::subject, Finding::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ann", 2L),
                        org.assertj.core.groups.Tuple.tuple("ben", 1L));
        assertThat(built.document().findings().get(0).detail()).contains("1 denied", "1 without a stated reason");
        assertThat(built.document().summary().total()).isEqualTo(3);
        assertThat(built.document().summary().denied()).isEqualTo(1);
    }

    @Test
    void recordAccessListsAtMostAThousandFindingsAndSaysSo() throws Exception {
        ReportFixture log = new ReportFixture();
        for (int i = 0; i <= DeniedAccessRule.MAX_FINDINGS; i++) {
            log.add("actor-" + i, "case.view", "C-1", Outcome.SUCCESS, "ticket", T0.plusSeconds(i), null);
        }
        ReportParameters parameters = ReportParameters.fromJson(ReportType.RECORD_ACCESS,
                json("{\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-02T00:00:00Z\","
                        + "\"resourceType\":\"case\",\"resourceId\":\"C-1\"}"));

        ReportFixture.Built built = log.build(ReportType.RECORD_ACCESS, parameters, ReportFormat.JSON, null);

        assertThat(built.document().findings()).hasSize(DeniedAccessRule.MAX_FINDINGS);
        assertThat(built.document().results()).anySatisfy(result -> assertThat(result.notes())
                .anyMatch(note -> note.contains("all " + (DeniedAccessRule.MAX_FINDINGS + 1) + " are in the table")));
    }

    @Test
    void aFilterWithAControlCharacterIsRefusedAsIngestRefusesIt() {
        assertThatThrownBy(() -> ReportParameters.fromJson(ReportType.ACTOR_ACTIVITY,
                json("{\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-02T00:00:00Z\","
                        + "\"actor\":\"ann\\u0001\"}")))
                .isInstanceOf(io.stenographer.domain.event.FieldViolation.class)
                .hasMessageContaining("control characters");
    }

    @Test
    void parametersAreValidatedNamingTheField() {
        assertThatThrownBy(() -> ReportParameters.fromJson(ReportType.FOIA_EXPORT,
                json("{\"from\":\"2025-01-01T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\"}")))
                .isInstanceOf(FieldViolation.class).extracting("field").isEqualTo("parameters.to");
        assertThatThrownBy(() -> ReportParameters.fromJson(ReportType.RECORD_ACCESS,
                json("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\",\"resourceType\":\"case\"}")))
                .isInstanceOf(FieldViolation.class).extracting("field").isEqualTo("parameters.resourceId");
        assertThatThrownBy(() -> ReportParameters.fromJson(ReportType.ACTOR_ACTIVITY,
                json("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\",\"actor\":\"a\","
                        + "\"redactFields\":[\"metadata.ssn\"]}")))
                .isInstanceOf(FieldViolation.class).extracting("field").isEqualTo("parameters.redactFields");
        assertThatThrownBy(() -> ReportParameters.fromJson(ReportType.FOIA_EXPORT,
                json("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\",\"colour\":\"red\"}")))
                .isInstanceOf(FieldViolation.class).extracting("field").isEqualTo("parameters.colour");
        assertThatThrownBy(() -> ReportParameters.fromJson(ReportType.DENIED_ACCESS,
                json("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\",\"deniedThreshold\":1}")))
                .isInstanceOf(FieldViolation.class).extracting("field").isEqualTo("parameters.deniedThreshold");
        assertThatThrownBy(() -> ReportParameters.fromJson(ReportType.FOIA_EXPORT,
                json("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\","
                        + "\"redactFields\":[\"id\"]}")))
                .isInstanceOf(FieldViolation.class).extracting("field").isEqualTo("parameters.redactFields[0]");
        assertThatThrownBy(() -> ReportParameters.fromJson(ReportType.FOIA_EXPORT,
                json("{\"from\":\"yesterday\",\"to\":\"2026-03-01T00:00:00Z\"}")))
                .isInstanceOf(FieldViolation.class).extracting("field").isEqualTo("parameters.from");
    }

    @Test
    void theHeaderRecordsTheEffectiveQueryWithDefaults() {
        ReportParameters parameters = ReportParameters.fromJson(ReportType.DENIED_ACCESS,
                json("{\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-02T00:00:00Z\"}"));
        JsonObject query = parameters.toJson(ReportType.DENIED_ACCESS);
        assertThat(query.get("deniedThreshold")).isEqualTo(new JsonNumber(5));
        assertThat(ReportJson.string(query, "deniedWindow")).isEqualTo("PT15M");
        assertThat(query.get("volumeThreshold")).isNull();
    }

    @Test
    void actionPatternsAreGlobs() {
        assertThat(new ActionPattern("*.view").matches("case.view")).isTrue();
        assertThat(new ActionPattern("*.view").matches("case.viewer")).isFalse();
        assertThat(new ActionPattern("case.*").matches("case.file.export")).isTrue();
        assertThat(new ActionPattern("case.*").matches("cases.view")).isFalse();
        assertThat(new ActionPattern("*").matches("anything.at.all")).isTrue();
        assertThat(new ActionPattern("a*b*c").matches("a.x.b.y.c")).isTrue();
        assertThatThrownBy(() -> new ActionPattern("Case.View")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void activityIsBucketedOverThePeriod() {
        ReportFixture log = new ReportFixture();
        log.add("ann", "case.view", Outcome.SUCCESS, "r", T0.plusSeconds(10));
        log.add("ann", "case.view", Outcome.SUCCESS, "r", T0.plusSeconds(3600 * 5 + 1));
        log.add("ann", "case.view", Outcome.SUCCESS, "r", T0.plusSeconds(3600 * 5 + 2));
        ReportSummary summary = log.build(ReportType.FOIA_EXPORT, ReportParameters.period(T0, END), ReportFormat.JSON,
                null).document().summary();
        assertThat(summary.bucket()).isEqualTo(Duration.ofHours(1));
        assertThat(summary.activity()).hasSize(24);
        assertThat(summary.activity().get(0).count()).isEqualTo(1);
        assertThat(summary.activity().get(5).count()).isEqualTo(2);
    }

    @Test
    void boundsAreReportedNotSilent() {
        BoundedCounter counter = new BoundedCounter(2);
        for (String key : List.of("a", "a", "b", "c", "d", "c")) {
            counter.add(key);
        }
        List<String> notes = new ArrayList<>();
        ReportTable table = counter.table("By key", "key", 1, notes);
        assertThat(table.rows()).containsExactly(List.of("a", "2"), List.of("(other, beyond 2 tracked)", "3"));
        assertThat(notes).hasSize(2).anySatisfy(n -> assertThat(n).contains("3 are counted together as 'other'"))
                .anySatisfy(n -> assertThat(n).contains("the 1 largest of 2 rows"));

        ReportFixture log = new ReportFixture();
        log.add("eve", "case.view", Outcome.DENIED, null, T0.plusSeconds(100));
        log.add("eve", "case.view", Outcome.DENIED, null, T0.plusSeconds(200));
        log.add("eve", "case.view", Outcome.DENIED, null, T0.plusSeconds(50)); // logged late, older than both
        RuleResult result = log.build(ReportType.DENIED_ACCESS, denied(2, Duration.ofMinutes(5)), ReportFormat.JSON,
                null).document().results().get(0);
        assertThat(result.findings()).singleElement().extracting(Finding::count).isEqualTo(2L);
        assertThat(result.notes()).singleElement().asString().contains("1 denied events arrived in the log after 2");
        assertThat(result.tables().get(0).rows()).containsExactly(List.of("eve", "3"));
    }

    static JsonObject json(String text) {
        return (JsonObject) JsonParser.parse(text, 16);
    }
}
