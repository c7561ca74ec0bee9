package io.stenographer.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Many streams of one log, each with its own start, end, checkpoint cadence and redelivered window (seeded, so a
 * failure reproduces): every one verifies with the exact counts, and every one fails once a record in its middle is
 * dropped or changed.
 */
class StreamVerifierRandomTest {

    private static final StreamFixture LOG = new StreamFixture(64);

    @Test
    void genuineStreamsWithRedeliveriesVerifyAndOneDroppedOrChangedRecordFails() {
        SplittableRandom random = new SplittableRandom(2026_12_06);
        for (int trial = 0; trial < 60; trial++) {
            int start = random.nextInt(40);
            int end = start + 3 + random.nextInt(64 - start - 3 + 1);
            int every = 1 + random.nextInt(9);
            List<String> lines = LOG.stream(start, end, every);
            int from = random.nextInt(lines.size());
            int to = from + random.nextInt(lines.size() - from + 1);
            List<String> window = List.copyOf(lines.subList(from, to));
            long resent = window.stream().filter(line -> line.contains("\"kind\":\"event\"")).count();
            lines.addAll(to, window);
            String what = "trial " + trial + ": [" + start + ", " + end + ") every " + every + ", resent " + from + ".."
                    + to;

            StreamVerification result = LOG.verify(lines);
            long lastCheckpoint = end / every * every;
            long proven = lastCheckpoint > start ? lastCheckpoint - start : 0;
            assertThat(result.failures()).as(what).isEmpty();
            assertThat(result.events()).as(what).isEqualTo(end - start);
            assertThat(result.duplicates()).as(what).isEqualTo(resent);
            assertThat(result.provenEvents()).as(what).isEqualTo(proven);

            int victim = start + 1 + random.nextInt(end - start - 2); // neither the first nor the last index
            List<String> dropped = new ArrayList<>(lines);
            String victimLine = StreamRecordFormat.write(LOG.record(victim));
            dropped.removeIf(victimLine::equals);
            StreamVerification gap = LOG.verify(dropped);
            assertThat(gap.ok()).as(what + ", dropped " + victim).isFalse();
            assertThat(gap.failures()).as(what).contains("gap: 1 index between " + start + " and " + (end - 1)
                    + " never arrived: " + victim);

            StreamRecord genuine = LOG.record(victim);
            Map<String, JsonValue> event = new LinkedHashMap<>(genuine.event().members());
            event.put("reason", new JsonString("changed in transit"));
            JsonObject forged = new JsonObject(event);
            List<String> changed = new ArrayList<>(lines);
            String forgedLine = StreamRecordFormat.write(new StreamRecord(victim, StreamEvents.leafHashOf(forged),
                    StreamFixture.TENANT, forged));
            changed.replaceAll(line -> line.equals(victimLine) ? forgedLine : line);
            StreamVerification tampered = LOG.verify(changed);
            // Every copy is changed alike, so only inclusion can catch it, and only under a checkpoint record.
            assertThat(tampered.ok()).as(what + ", changed " + victim).isEqualTo(victim >= lastCheckpoint);
            if (victim < lastCheckpoint) {
                assertThat(tampered.failures()).as(what).singleElement().asString()
                        .contains("do not hash to the signed root");
            }
        }
    }
}
