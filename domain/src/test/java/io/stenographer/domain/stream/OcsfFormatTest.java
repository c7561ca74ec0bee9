package io.stenographer.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OCSF 1.3.0 output, validated against the hand-written class definitions of {@link Ocsf130Schema}. */
class OcsfFormatTest {

    private static final StreamFixture LOG = new StreamFixture(25);

    private static JsonObject ocsf(int index, OcsfMapping mapping) {
        return OcsfFormat.toOcsf(LOG.record(index), mapping);
    }

    @Test
    void everyEventConformsToItsClassUnderTheDefaultAndACustomMapping() {
        OcsfMapping custom = OcsfMapping.parse("""
                # this tenant's table
                record.delete 3001
                *.login 3002
                """);
        List<Integer> classes = new ArrayList<>();
        for (int i = 0; i < LOG.events.size(); i++) {
            for (OcsfMapping mapping : List.of(OcsfMapping.DEFAULT, custom)) {
                JsonObject event = ocsf(i, mapping);
                assertThat(OcsfSchemaValidator.violations(event)).as("event %d: %s", i, event).isEmpty();
                classes.add((int) ((JsonNumber) event.get("class_uid")).value());
            }
        }
        assertThat(classes).contains(6003, 3002, 3001);
        assertThat(Ocsf130Schema.VERSION).isEqualTo(OcsfFormat.OCSF_VERSION);
    }

    @Test
    void theValidatorRefusesWhatBreaksTheDefinitions() {
        JsonObject good = ocsf(0, OcsfMapping.DEFAULT);
        assertThat(OcsfSchemaValidator.violations(without(good, "api"))).containsExactly("api: required attribute missing");
        assertThat(OcsfSchemaValidator.violations(with(good, "severity_id", new JsonNumber(7))))
                .containsExactly("severity_id: 7 is not one of its enum ids");
        assertThat(OcsfSchemaValidator.violations(with(good, "time", new JsonString("2026-12-01"))))
                .containsExactly("time: must be timestamp_t");
        assertThat(OcsfSchemaValidator.violations(with(good, "type_uid", new JsonNumber(600399))))
                .containsExactly("type_uid: is not class_uid * 100 + activity_id");
        assertThat(OcsfSchemaValidator.violations(with(good, "colour", new JsonString("red"))))
                .containsExactly("colour: not an attribute of the fixture's definition");
        assertThat(OcsfSchemaValidator.violations(with(good, "class_uid", new JsonNumber(3002))))
                .contains("user: required attribute missing", "api: not an attribute of the fixture's definition");
    }

    @Test
    void theMappingOfOneEvent() {
        // index 0: record.view by officer-0 (a user named "Officer 0"), success, from 192.0.2.0 with a user agent
        JsonObject event = ocsf(0, OcsfMapping.DEFAULT);
        var sealed = LOG.events.get(0);
        assertThat(event.get("class_uid")).isEqualTo(new JsonNumber(6003));
        assertThat(event.get("category_uid")).isEqualTo(new JsonNumber(6));
        assertThat(event.get("activity_id")).isEqualTo(new JsonNumber(2));
        assertThat(event.get("type_uid")).isEqualTo(new JsonNumber(600302));
        assertThat(event.get("status_id")).isEqualTo(new JsonNumber(1));
        assertThat(event.get("time")).isEqualTo(new JsonNumber(sealed.content().occurredAt().toEpochMilli()));
        assertThat(CanonicalJson.canonicalize(event.get("actor"))).isEqualTo(
                "{\"app_name\":\"portal\",\"user\":{\"name\":\"Officer 0\",\"type\":\"User\",\"type_id\":1,"
                        + "\"uid\":\"officer-0\"}}");
        assertThat(CanonicalJson.canonicalize(event.get("src_endpoint"))).isEqualTo("{\"ip\":\"192.0.2.0\"}");
        assertThat(CanonicalJson.canonicalize(event.get("http_request"))).isEqualTo("{\"user_agent\":\"Mozilla/5.0\"}");
        assertThat(CanonicalJson.canonicalize(event.get("resources")))
                .isEqualTo("[{\"type\":\"background-check\",\"uid\":\"bc-1000\"}]");
        assertThat(CanonicalJson.canonicalize(event.get("metadata"))).isEqualTo("{\"log_name\":\"acme\","
                + "\"logged_time\":" + sealed.receivedAt().toEpochMilli() + ",\"product\":{\"name\":\"Stenographer\","
                + "\"vendor_name\":\"Stenographer\"},\"uid\":\"" + sealed.id() + "\",\"version\":\"1.3.0\"}");
        JsonObject carried = (JsonObject) ((JsonObject) event.get("unmapped")).get("stenographer");
        assertThat(carried.get("index")).isEqualTo(new JsonNumber(0));
        assertThat(carried.get("leafHash")).isEqualTo(new JsonString(sealed.leafHash().hex()));
        assertThat(carried.get("eventId")).isEqualTo(new JsonString(sealed.id().toString()));
        assertThat(carried.get("event")).isEqualTo(LOG.record(0).event());
    }

    @Test
    void outcomesMapToStatusAndSeverityAndDeniedIsAFailureWithItsDetail() {
        // outcomes cycle success, success, failure, denied
        assertThat(ocsf(2, OcsfMapping.DEFAULT).get("status_id")).isEqualTo(new JsonNumber(2));
        assertThat(ocsf(2, OcsfMapping.DEFAULT).get("status_detail")).isNull();
        JsonObject denied = ocsf(3, OcsfMapping.DEFAULT);
        assertThat(denied.get("status_id")).isEqualTo(new JsonNumber(2));
        assertThat(denied.get("status_detail")).isEqualTo(new JsonString("denied"));
        assertThat(denied.get("severity_id")).isEqualTo(new JsonNumber(3));
    }

    @Test
    void theDefaultTableSendsLogInsToAuthenticationAndAccountActionsToAccountChange() {
        JsonObject login = ocsf(2, OcsfMapping.DEFAULT); // user.login
        assertThat(login.get("class_uid")).isEqualTo(new JsonNumber(3002));
        assertThat(login.get("type_uid")).isEqualTo(new JsonNumber(300201));
        assertThat(((JsonObject) login.get("user")).get("uid")).isEqualTo(new JsonString("officer-2"));
        JsonObject disable = ocsf(3, OcsfMapping.DEFAULT); // account.disable of bc-1003
        assertThat(disable.get("class_uid")).isEqualTo(new JsonNumber(3001));
        assertThat(disable.get("type_uid")).isEqualTo(new JsonNumber(300105));
        assertThat(((JsonObject) disable.get("user")).get("uid")).isEqualTo(new JsonString("bc-1003"));
        assertThat(OcsfMapping.DEFAULT.classOf("case.view")).isEqualTo(OcsfClass.API_ACTIVITY);
        assertThat(OcsfClass.API_ACTIVITY.activityId("case.approve")).isEqualTo(99);
    }

    @Test
    void aMappingTableIsReadStrictly() {
        assertThat(OcsfMapping.parse("case.* 3001\n*.login 3002\n").classOf("case.close"))
                .isEqualTo(OcsfClass.ACCOUNT_CHANGE);
        assertThatThrownBy(() -> OcsfMapping.parse("case.* 4001")).hasMessage("OCSF mapping line 1: OCSF class 4001 "
                + "is not one Stenographer maps to; classes are 6003 (API Activity), 3002 (Authentication) and 3001 "
                + "(Account Change)");
        assertThatThrownBy(() -> OcsfMapping.parse("\nCase.* 3001")).hasMessageStartingWith("OCSF mapping line 2: "
                + "an action pattern is");
        assertThatThrownBy(() -> OcsfMapping.parse("case.* x")).hasMessage("OCSF mapping line 1: class uid x is not "
                + "a number");
    }

    @Test
    void readingBackFindsTheRecordAndEveryMappedFieldThatDisagrees() {
        JsonObject event = ocsf(1, OcsfMapping.DEFAULT);
        OcsfFormat.Read read = OcsfFormat.read(reparsed(event));
        assertThat(read.record()).isEqualTo(LOG.record(1));
        assertThat(read.mismatches()).isEmpty();

        JsonObject actor = (JsonObject) event.get("actor");
        JsonObject user = with((JsonObject) actor.get("user"), "uid", new JsonString("officer-99"));
        JsonObject changed = with(with(event, "actor", with(actor, "user", user)), "status_id", new JsonNumber(2));
        assertThat(OcsfFormat.read(changed).mismatches()).containsExactly(
                "OCSF field actor.user.uid is \"officer-99\" but the sealed event it carries says \"officer-1\"",
                "OCSF field status_id is 2 but the sealed event it carries says 1");
        assertThatThrownBy(() -> OcsfFormat.read(without(event, "unmapped"))).isInstanceOf(StreamFormatException.class)
                .hasMessageStartingWith("the OCSF event has no unmapped.stenographer object");
    }

    @Test
    void anOcsfStreamVerifiesAndAChangedMappedFieldFails() {
        List<String> lines = ocsfStream();
        StreamVerification clean = LOG.verify(lines, StreamVerifier.Format.OCSF);
        assertThat(clean.failures()).isEmpty();
        assertThat(clean.summary()).isEqualTo("OK: 25 events (indices 0..24), 0 identical duplicates, 2 checkpoint "
                + "records; 20 of 25 events proven included under a signed checkpoint of example/acme");

        JsonObject genuine = (JsonObject) JsonParser.parse(lines.get(4), 32); // index 4
        lines.set(4, CanonicalJson.canonicalize(with(genuine, "time", new JsonNumber(0))));
        StreamVerification changed = LOG.verify(lines, StreamVerifier.Format.OCSF);
        assertThat(changed.failures()).containsExactly("line 5: index 4: OCSF field time is 0 but the sealed event it "
                + "carries says " + LOG.events.get(4).content().occurredAt().toEpochMilli());

        List<String> tampered = ocsfStream();
        JsonObject line7 = (JsonObject) JsonParser.parse(tampered.get(7), 32);
        JsonObject carried = (JsonObject) ((JsonObject) line7.get("unmapped")).get("stenographer");
        JsonObject event = with((JsonObject) carried.get("event"), "action", new JsonString("record.view"));
        tampered.set(7, CanonicalJson.canonicalize(with(line7, "unmapped",
                new JsonObject(Map.of("stenographer", with(carried, "event", event))))));
        StreamVerification result = LOG.verify(tampered, StreamVerifier.Format.OCSF);
        assertThat(result.ok()).isFalse();
        assertThat(result.failures()).anyMatch(failure -> failure.startsWith("line 8: index 7: leaf hash "));
    }

    /** The native clean stream with each event record written as OCSF; checkpoint records stay native. */
    static List<String> ocsfStream() {
        List<String> lines = new ArrayList<>();
        for (String line : LOG.stream(0, 25, 10)) {
            StreamLine record = StreamRecordFormat.parse(line);
            lines.add(record instanceof StreamRecord event
                    ? CanonicalJson.canonicalize(OcsfFormat.toOcsf(event, OcsfMapping.DEFAULT)) : line);
        }
        return lines;
    }

    private static JsonObject reparsed(JsonObject json) {
        return (JsonObject) JsonParser.parse(CanonicalJson.canonicalize(json), 32);
    }

    private static JsonObject with(JsonObject json, String name, JsonValue value) {
        Map<String, JsonValue> members = new LinkedHashMap<>(json.members());
        members.put(name, value);
        return new JsonObject(members);
    }

    private static JsonObject without(JsonObject json, String name) {
        Map<String, JsonValue> members = new LinkedHashMap<>(json.members());
        members.remove(name);
        return new JsonObject(members);
    }
}
