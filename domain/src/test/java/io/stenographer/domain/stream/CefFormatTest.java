package io.stenographer.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** CEF lines: the header and extension escaping, and every field read back by an independent parser. */
class CefFormatTest {

    private static final Instant AT = Instant.parse("2026-12-01T09:00:00.123456Z");

    private static AuditEvent event(String reason, String displayName) {
        EventDraft draft = new EventDraft(TenantId.of("acme"), new Actor("u-1", ActorType.USER, displayName),
                Action.of("case.export"), new ResourceRef("case", "C=1|2"), reason, Outcome.DENIED, AT,
                new Source("portal", "192.0.2.10", "Mozilla/5.0"), "req-7", JsonObject.EMPTY, null);
        return AuditEvent.record(EventId.newTimeOrdered(AT, new SplittableRandom(1)), AT.plusMillis(2), "svc@idp",
                draft);
    }

    @Test
    void aLineCarriesTheIntegrityFieldsWithTheirLabels() {
        AuditEvent event = event("see \\\\share\\x = y", "Dana | Doe");
        String line = CefFormat.toCef(StreamRecord.of(42, event));
        assertThat(line).doesNotContain("\n").startsWith("CEF:0|Stenographer|Stenographer|stream/v1|case.export|"
                + "case.export denied|7|rt=" + AT.toEpochMilli() + " externalId=" + event.id() + " ");
        Map<String, String> fields = extension(line.substring(nthPipe(line, 7) + 1));
        assertThat(fields).containsEntry("cn1Label", "index").containsEntry("cn1", "42")
                .containsEntry("cs1Label", "eventId").containsEntry("cs1", event.id().toString())
                .containsEntry("cs2Label", "leafHash").containsEntry("cs2", event.leafHash().hex())
                .containsEntry("cs3Label", "tenant").containsEntry("cs3", "acme")
                .containsEntry("cs4", "case").containsEntry("cs5", "C=1|2")
                .containsEntry("cs6", "svc@idp").containsEntry("suid", "u-1").containsEntry("suser", "Dana | Doe")
                .containsEntry("src", "192.0.2.10").containsEntry("requestClientApplication", "Mozilla/5.0")
                .containsEntry("outcome", "denied").containsEntry("act", "case.export")
                .containsEntry("flexString1", "req-7")
                .containsEntry("reason", "see \\\\share\\x = y")
                .containsEntry("deviceCustomDate1", String.valueOf(AT.plusMillis(2).toEpochMilli()));
        assertThat(line).contains("reason=see \\\\\\\\share\\\\x \\= y ");
    }

    @Test
    void headerAndExtensionEscaping() {
        assertThat(CefFormat.headerValue("a|b\\c=d\ne")).isEqualTo("a\\|b\\\\c=d e");
        assertThat(CefFormat.extensionValue("a=b\\c|d\r\n")).isEqualTo("a\\=b\\\\c|d\\r\\n");
        assertThat(CefFormat.toCef(StreamRecord.of(0, event(null, null)))).startsWith(
                "CEF:0|Stenographer|Stenographer|stream/v1|case.export|case.export denied|7|")
                .doesNotContain("suser=", "reason=");
    }

    /** Reads a CEF extension as the specification defines it, independently of the writer. */
    private static Map<String, String> extension(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<int[]> keys = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '=' && (i == 0 || text.charAt(i - 1) != '\\' || escapedBackslash(text, i - 1))) {
                int start = text.lastIndexOf(' ', i) + 1;
                keys.add(new int[] {start, i});
            }
        }
        for (int k = 0; k < keys.size(); k++) {
            int valueEnd = k + 1 < keys.size() ? keys.get(k + 1)[0] - 1 : text.length();
            String raw = text.substring(keys.get(k)[1] + 1, valueEnd);
            fields.put(text.substring(keys.get(k)[0], keys.get(k)[1]), unescape(raw));
        }
        return fields;
    }

    private static boolean escapedBackslash(String text, int backslash) {
        int count = 0;
        for (int i = backslash; i >= 0 && text.charAt(i) == '\\'; i--) {
            count++;
        }
        return count % 2 == 0;
    }

    private static String unescape(String raw) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int nthPipe(String line, int n) {
        int at = -1;
        for (int seen = 0; seen < n; ) {
            at = line.indexOf('|', at + 1);
            if (at > 0 && line.charAt(at - 1) == '\\' && !escapedBackslash(line, at - 1)) {
                continue;
            }
            seen++;
        }
        return at;
    }
}
