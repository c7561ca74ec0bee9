package io.stenographer.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.CanonicalJson;
import org.junit.jupiter.api.Test;

/** The native record format: canonical lines that read back to the same records, and clear refusals. */
class StreamRecordFormatTest {

    private static final StreamFixture LOG = new StreamFixture(13);

    @Test
    void anEventRecordIsOneCanonicalLineCarryingTheSealedEventItsIndexLeafHashAndTenant() {
        StreamRecord record = LOG.record(5);
        String line = StreamRecordFormat.write(record);
        String event = CanonicalJson.canonicalize(SealedEventFormat.toJson(LOG.events.get(5)));
        assertThat(line).isEqualTo("{\"event\":" + event + ",\"index\":5,\"kind\":\"event\",\"leafHash\":\""
                + LOG.events.get(5).leafHash().hex() + "\",\"tenant\":\"acme\"}");
        assertThat(StreamRecordFormat.parse(line)).isEqualTo(record);
        assertThat(StreamEvents.leafHashOf(record.event())).isEqualTo(LOG.tree.leafHash(5));
    }

    @Test
    void aCheckpointRecordCarriesTheNoteTheRangeTheProofAndTheFrontier() {
        StreamCheckpointRecord record = LOG.checkpoint(5, 13);
        assertThat(record.consistencyProof()).isNotEmpty();
        assertThat(record.frontier()).hasSize(2); // 5 = 4 + 1
        String line = StreamRecordFormat.write(record);
        assertThat(line).startsWith("{\"checkpoint\":\"example/acme\\n13\\n").contains("\"fromIndex\":5,")
                .contains("\"kind\":\"checkpoint\",\"tenant\":\"acme\",\"toIndex\":13}");
        assertThat(StreamRecordFormat.parse(line)).isEqualTo(record);
        assertThat(record.unverifiedCheckpoint().treeSize()).isEqualTo(13);
        StreamCheckpointRecord first = LOG.checkpoint(0, 4);
        assertThat(first.consistencyProof()).isEmpty();
        assertThat(first.frontier()).isEmpty();
    }

    @Test
    void aTruncatedRecordCarriesTheIndexLeafHashTenantAndEventIdWithoutTheEvent() {
        StreamTruncatedRecord record = StreamTruncatedRecord.of(LOG.record(7));
        String line = StreamRecordFormat.write(record);
        assertThat(line).isEqualTo("{\"eventId\":\"" + LOG.events.get(7).id() + "\",\"index\":7,"
                + "\"kind\":\"event-truncated\",\"leafHash\":\"" + LOG.events.get(7).leafHash().hex()
                + "\",\"tenant\":\"acme\",\"truncated\":true}");
        assertThat(StreamRecordFormat.parse(line)).isEqualTo(record);
        assertRefused(line.replace("\"truncated\":true", "\"truncated\":false"),
                "a truncated event record needs 'truncated': true");
        assertRefused(line.replace("\"truncated\":true", "\"event\":{}"),
                "a truncated event record has no member 'event'");
        assertRefused(line.replace(LOG.events.get(7).id().toString(), "not-a-uuid"),
                "the truncated event record's eventId is not a UUID");
    }

    @Test
    void aReserialisedLineReadsTheSame() {
        String line = StreamRecordFormat.write(LOG.record(2));
        String spaced = line.replace(",\"index\":", ", \"index\" : ");
        assertThat(StreamRecordFormat.parse(spaced)).isEqualTo(LOG.record(2));
    }

    @Test
    void malformedLinesAreRefusedWithTheReason() {
        String line = StreamRecordFormat.write(LOG.record(1));
        assertRefused(line.replace("\"kind\":\"event\"", "\"kind\":\"note\""),
                "unknown record kind 'note'; kinds are 'event', 'event-truncated' and 'checkpoint'");
        assertRefused(line.replace("\"kind\":\"event\"", "\"kind\":\"event\",\"extra\":1"),
                "an event record has no member 'extra'");
        assertRefused(line.replace("\"index\":1", "\"index\":1.5"),
                "the event record has no valid 'index' (an integer in [0, 2^53])");
        assertRefused(line.replace("\"index\":1", "\"index\":-1"),
                "the event record has no valid 'index' (an integer in [0, 2^53])");
        assertRefused(line.replace(LOG.events.get(1).leafHash().hex(), LOG.events.get(1).leafHash().hex().toUpperCase()),
                "leafHash is not 64 lower-case hex digits");
        assertRefused("[1]", "not a JSON object");
        assertRefused("{\"index\":1}", "the record has no 'kind'");
        String checkpoint = StreamRecordFormat.write(LOG.checkpoint(5, 13));
        assertRefused(checkpoint.replace("\"fromIndex\":5", "\"fromIndex\":4"),
                "checkpoint record: frontier must hold one hash per set bit of fromIndex 4 (1), has 2");
        assertRefused(checkpoint.replace("\"fromIndex\":5", "\"fromIndex\":14"),
                "checkpoint record: the range must satisfy 0 <= fromIndex <= toIndex <= 2^53, was [14, 13)");
        assertRefused(checkpoint.replace("\"frontier\":[\"", "\"frontier\":[\"!"),
                "frontier hash 0 is not a base64 hash");
        String deep = "[".repeat(40) + "]".repeat(40);
        assertRefused(line.replace("\"index\":1", "\"deep\":" + deep + ",\"index\":1"), "not valid JSON");
        assertRefused("{\"a\":\"" + "x".repeat(StreamRecordFormat.MAX_LINE_CHARS) + "\"}",
                "the line is longer than 1048576 characters");
    }

    private static void assertRefused(String line, String message) {
        assertThatThrownBy(() -> StreamRecordFormat.parse(line)).isInstanceOf(StreamFormatException.class)
                .hasMessageStartingWith(message);
    }
}
