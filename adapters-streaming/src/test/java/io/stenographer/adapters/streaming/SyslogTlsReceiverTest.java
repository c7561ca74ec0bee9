package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.testing.SyslogTlsReceiver;
import io.stenographer.testing.SyslogTlsReceiver.Message;
import io.stenographer.testing.SyslogTlsReceiver.Violation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The test receiver's RFC 5424 parser is strict, so a sender test that passes against it means something. */
class SyslogTlsReceiverTest {

    private static final String GOOD = "<105>1 2026-12-01T09:00:00.000001Z host.example stenographer 42 event "
            + "[stenographer@32473 index=\"3\" tenant=\"acme\"][timeQuality tzKnown=\"1\"] \uFEFF{\"a\":\"\u00e9\"}";

    @Test
    void aValidMessageIsReadFieldByField() throws Violation {
        Message message = SyslogTlsReceiver.parse(GOOD.getBytes(StandardCharsets.UTF_8));
        assertThat(message.facility()).isEqualTo(13);
        assertThat(message.severity()).isEqualTo(1);
        assertThat(message.timestamp()).isEqualTo("2026-12-01T09:00:00.000001Z");
        assertThat(message.hostname()).isEqualTo("host.example");
        assertThat(message.procId()).isEqualTo("42");
        assertThat(message.msgId()).isEqualTo("event");
        assertThat(message.structuredData()).hasSize(2);
        assertThat(message.element("stenographer@32473").param("index")).isEqualTo("3");
        assertThat(message.bom()).isTrue();
        assertThat(message.text()).isEqualTo("{\"a\":\"\u00e9\"}");
        assertThat(SyslogTlsReceiver.parse("<0>1 - - - - - -".getBytes(StandardCharsets.US_ASCII)).msg()).isNull();
        assertThat(SyslogTlsReceiver.parse("<191>1 2026-02-28T23:59:59+05:30 - - - - - CEF:0|x"
                .getBytes(StandardCharsets.US_ASCII)).bom()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "<013>1 - - - - - - | PRIVAL must be 1 to 3 digits without a leading zero",
        "<192>1 - - - - - - | PRIVAL 192 is over 191",
        "13>1 - - - - - - | PRI must start with '<'",
        "<13>2 - - - - - - | VERSION must be 1",
        "<13>10 - - - - - - | VERSION must be 1",
        "<13>1  - - - - - | TIMESTAMP is empty",
        "<13>1 2026-12-01t09:00:00Z - - - - - | is not RFC 3339 as RFC 5424 limits it",
        "<13>1 2026-12-01T09:00:00.1234567Z - - - - - | is not RFC 3339 as RFC 5424 limits it",
        "<13>1 2026-12-01T09:00:60Z - - - - - | leap seconds are not allowed",
        "<13>1 2026-02-30T09:00:00Z - - - - - | is not a real date",
        "<13>1 2026-12-01T09:00:00 - - - - - | is not RFC 3339",
        "<13>1 - - - - msgid-that-is-longer-than-thirty-two - | MSGID is 36 characters, more than 32",
        "<13>1 - - app-name-that-is-longer-than-forty-eight-characters-x - - - | APP-NAME is 53 characters, more than 48",
        "<13>1 - - - - - [@1] | SD-ID @1 is neither IANA-registered nor name@<enterprise number>",
        "<13>1 - - - - - [custom x=\"1\"] | SD-ID custom is neither IANA-registered nor name@<enterprise number>",
        "<13>1 - - - - - [a@1 x=\"1\"][a@1 y=\"2\"] | SD-ID a@1 appears twice in one message",
        "<13>1 - - - - - [a@1 x=\"a]b\"] | ']' in PARAM-VALUE of x must be escaped",
        "<13>1 - - - - - [a@1 x=1] | PARAM-VALUE must be quoted",
        "<13>1 - - - - - [a@1 x=\"1\" | SD-ELEMENT must end with ']'",
        "<13>1 - - - - - [a@1 x=\"1\"]msg | STRUCTURED-DATA must be followed by SP MSG or end the message",
        "<13>1 - - - - -msg | MSGID must be followed by SP",
        "<13>1 - - - - | PROCID must be followed by SP",
    })
    void violationsAreNamed(String message, String violation) {
        assertThatThrownBy(() -> SyslogTlsReceiver.parse(message.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Violation.class).hasMessageContaining(violation.strip());
    }

    @Test
    void hostnameLengthAndUtf8AfterTheBomAreChecked() {
        String host = "h".repeat(256);
        assertThatThrownBy(() -> SyslogTlsReceiver.parse(("<13>1 - " + host + " - - - -")
                .getBytes(StandardCharsets.US_ASCII))).hasMessage("HOSTNAME is 256 characters, more than 255");
        byte[] badUtf8 = {'<', '1', '3', '>', '1', ' ', '-', ' ', '-', ' ', '-', ' ', '-', ' ', '-', ' ', '-', ' ',
            (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xC3, '('};
        assertThatThrownBy(() -> SyslogTlsReceiver.parse(badUtf8)).hasMessage("MSG after the BOM is not valid UTF-8");
    }
}
