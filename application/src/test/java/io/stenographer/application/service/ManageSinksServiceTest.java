package io.stenographer.application.service;

import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.ChangeSinkCommand;
import io.stenographer.application.port.in.CreateSinkCommand;
import io.stenographer.application.port.in.ReplaySinkCommand;
import io.stenographer.application.port.in.RotateSinkSecretsCommand;
import io.stenographer.application.port.in.SinkConflict;
import io.stenographer.application.port.in.SinkNotFound;
import io.stenographer.application.port.in.SinkQuery;
import io.stenographer.application.port.in.SinkStatus;
import io.stenographer.application.port.in.SinksQuery;
import io.stenographer.application.service.fakes.EmptyArchiveCatalog;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryArchive;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLog;
import io.stenographer.application.service.fakes.InMemorySinks;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.application.service.fakes.TestEvents;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.WebhookSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ManageSinksServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final String HMAC = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef01234567".getBytes());
    private static final String HMAC_2 = "whsec_" + Base64.getEncoder().encodeToString("fedcba9876543210fedcba98".getBytes());

    private final SplittableRandom random = new SplittableRandom(3);
    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryLog log = new InMemoryLog(transactions);
    private final InMemoryEventStore audit = new InMemoryEventStore(transactions);
    private final InMemorySinks sinks = new InMemorySinks(clock);
    private final ManageSinksService service = new ManageSinksService(sinks, log, new ArchivedEventReader(
            new EmptyArchiveCatalog(), new InMemoryArchive(clock), log), new SelfAudit(audit, clock, random, StoredIdentifiers.AS_GIVEN),
            transactions, clock, random);
    private final Caller admin = caller("ciso", Role.COMPLIANCE_ADMIN, ACME);
    private final Caller auditor = caller("auditor-1", Role.AUDITOR, ACME);
    private final Caller otherTenantAdmin = caller("globex-admin", Role.COMPLIANCE_ADMIN, GLOBEX);

    private SinkStatus webhook(Caller caller, String name, Long start, String... secrets) {
        return service.create(new CreateSinkCommand(caller, ACME, name,
                SinkTarget.Webhook.parse("https://siem.example/hooks/stenographer"), SinkFormat.OCSF,
                SinkSettings.DEFAULTS, List.of(secrets).stream().map(s -> WebhookSecret.parse("secrets", s)).toList(),
                start));
    }

    private void ingest(int count) {
        for (int i = 0; i < count; i++) {
            AuditEvent event = TestEvents.event(ACME, "case.view", "C-" + i, clock.instant(), random);
            log.append(event);
        }
        log.publishCheckpoint(ACME, clock.instant());
    }

    private List<AuditEvent> auditEvents(String action) {
        return audit.committed().stream().filter(e -> e.content().action().value().equals(action)).toList();
    }

    @Test
    void aNewSinkStartsAtTheEndOfThePublishedLogAndItsCreationIsAuditedWithFingerprintsOnly() {
        ingest(4);
        SinkStatus created = webhook(admin, "splunk", null, HMAC);

        assertThat(created.progress().cursor()).isEqualTo(4);
        assertThat(created.lagEvents()).isZero();
        assertThat(created.sink().secretFingerprints()).containsExactly(WebhookSecret.parse("s", HMAC).fingerprint());
        AuditEvent event = auditEvents("stream.sink.created").get(0);
        String metadata = CanonicalJson.canonicalize(event.content().metadata());
        assertThat(metadata).contains(WebhookSecret.parse("s", HMAC).fingerprint()).contains("https://siem.example")
                .doesNotContain(HMAC.substring(6, 20));
        assertThat(event.content().resource().type()).isEqualTo("stream-sink");
    }

    @Test
    void theLogRecordsAWebhookWithoutItsQueryWhereReceiversPutTokens() {
        SinkStatus created = service.create(new CreateSinkCommand(admin, ACME, "chat",
                SinkTarget.Webhook.parse("https://hooks.example/in/stenographer?token=s3cr3t-t0ken&channel=audit"),
                SinkFormat.OCSF, SinkSettings.DEFAULTS, List.of(WebhookSecret.parse("secrets", HMAC)), null));
        assertThat(created.sink().target().hosts()).extracting(Object::toString).containsExactly("hooks.example:443");

        String metadata = CanonicalJson.canonicalize(auditEvents("stream.sink.created").get(0).content().metadata());
        assertThat(metadata).contains("\"target\":\"webhook https://hooks.example/in/stenographer?(query not recorded)\"")
                .doesNotContain("s3cr3t-t0ken", "channel=audit");
    }

    @Test
    void lagCountsPublishedEventsNotYetDeliveredAndTheTimeSinceTheOldestWasPublished() {
        ingest(2);
        SinkStatus created = webhook(admin, "splunk", 0L, HMAC);
        clock.advance(Duration.ofSeconds(42));

        SinkStatus status = service.get(new SinkQuery(auditor, created.sink().id()));

        assertThat(status.lagEvents()).isEqualTo(2);
        assertThat(status.lag()).isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void onlyACompliancAdminOfTheTenantChangesSinksAndOtherTenantsSeeNothing() {
        SinkStatus created = webhook(admin, "splunk", null, HMAC);

        assertThatThrownBy(() -> webhook(auditor, "mine", null, HMAC)).isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.pause(new ChangeSinkCommand(auditor, created.sink().id())))
                .isInstanceOf(TenantAccessDenied.class);
        assertThat(service.list(new SinksQuery(auditor, ACME))).hasSize(1);
        assertThatThrownBy(() -> service.get(new SinkQuery(otherTenantAdmin, created.sink().id())))
                .isInstanceOf(SinkNotFound.class);
        assertThatThrownBy(() -> service.delete(new ChangeSinkCommand(otherTenantAdmin, created.sink().id())))
                .isInstanceOf(SinkNotFound.class);
        assertThatThrownBy(() -> service.list(new SinksQuery(otherTenantAdmin, ACME)))
                .isInstanceOf(TenantAccessDenied.class);
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() {
        ingest(3);
        webhook(admin, "splunk", null, HMAC);

        assertThatThrownBy(() -> webhook(admin, "splunk", null, HMAC)).isInstanceOf(SinkConflict.class)
                .hasMessageContaining("already has a sink named 'splunk'");
        assertThatThrownBy(() -> webhook(admin, "no-secret", null)).isInstanceOf(FieldViolation.class)
                .hasMessageContaining("secrets");
        assertThatThrownBy(() -> webhook(admin, "future", 4L, HMAC)).isInstanceOf(FieldViolation.class)
                .hasMessageContaining("startIndex").hasMessageContaining("0..3");
        assertThatThrownBy(() -> service.create(new CreateSinkCommand(admin, ACME, "cef-on-kafka",
                new SinkTarget.Kafka(List.of(new HostPort("kafka.example", 9092)), "audit", true), SinkFormat.CEF, null,
                List.of(), null))).isInstanceOf(FieldViolation.class).hasMessageContaining("syslog");
        assertThatThrownBy(() -> SinkTarget.Webhook.parse("http://siem.example/")).isInstanceOf(FieldViolation.class)
                .hasMessageContaining("https");
        assertThatThrownBy(() -> WebhookSecret.parse("secrets", "whsec_c2hvcnQ=")).isInstanceOf(FieldViolation.class)
                .hasMessageContaining("24 to 64 bytes");
    }

    @Test
    void aTenantHasAtMostTwentySinks() {
        for (int i = 0; i < ManageSinksService.MAX_SINKS_PER_TENANT; i++) {
            webhook(admin, "sink-" + i, null, HMAC);
        }
        assertThatThrownBy(() -> webhook(admin, "one-more", null, HMAC)).isInstanceOf(SinkConflict.class)
                .hasMessageContaining("the most allowed");
    }

    @Test
    void pauseResumeReplayRotateAndDeleteAreEachAudited() {
        ingest(5);
        SinkStatus created = webhook(admin, "splunk", null, HMAC);
        var id = created.sink().id();

        assertThat(service.pause(new ChangeSinkCommand(admin, id)).sink().state()).isEqualTo(SinkState.PAUSED);
        assertThat(service.resume(new ChangeSinkCommand(admin, id)).sink().state()).isEqualTo(SinkState.ACTIVE);
        assertThat(service.replay(new ReplaySinkCommand(admin, id, 1)).progress().cursor()).isEqualTo(1);
        SinkStatus rotated = service.rotateSecrets(new RotateSinkSecretsCommand(admin, id,
                List.of(WebhookSecret.parse("s", HMAC), WebhookSecret.parse("s", HMAC_2))));
        assertThat(rotated.sink().secretFingerprints()).hasSize(2);
        assertThat(sinks.secrets(id)).hasSize(2);
        service.delete(new ChangeSinkCommand(admin, id));

        assertThat(audit.committed()).extracting(e -> e.content().action().value()).containsExactly(
                "stream.sink.created", "stream.sink.paused", "stream.sink.resumed", "stream.sink.replayed",
                "stream.sink.secrets-rotated", "stream.sink.deleted");
        assertThat(CanonicalJson.canonicalize(auditEvents("stream.sink.replayed").get(0).content().metadata()))
                .contains("\"fromIndex\":1").contains("\"previousCursor\":5");
        assertThat(sinks.secrets(id)).isEmpty();
        assertThat(service.list(new SinksQuery(admin, ACME))).isEmpty();
        assertThatThrownBy(() -> service.get(new SinkQuery(admin, id))).isInstanceOf(SinkNotFound.class);
    }

    @Test
    void onlyAnActiveSinkCanBePausedAndOnlyAWebhookTakesSecrets() {
        SinkStatus syslog = service.create(new CreateSinkCommand(admin, ACME, "qradar",
                new SinkTarget.Syslog(new HostPort("qradar.example", 6514)), SinkFormat.CEF, null, List.of(), null));

        assertThatThrownBy(() -> service.rotateSecrets(new RotateSinkSecretsCommand(admin, syslog.sink().id(),
                List.of(WebhookSecret.parse("s", HMAC))))).isInstanceOf(FieldViolation.class);
        service.pause(new ChangeSinkCommand(admin, syslog.sink().id()));
        assertThat(service.pause(new ChangeSinkCommand(admin, syslog.sink().id())).sink().state())
                .as("pausing twice is a no-op").isEqualTo(SinkState.PAUSED);
        assertThat(auditEvents("stream.sink.paused")).hasSize(1);
    }
}
