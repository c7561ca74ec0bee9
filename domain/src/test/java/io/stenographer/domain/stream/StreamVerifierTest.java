package io.stenographer.domain.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stream verifier on real streams built from an in-memory log, then on streams with one thing wrong. */
class StreamVerifierTest {

    private static final StreamFixture LOG = new StreamFixture(25);

    /** Events 0..24, checkpoint records after 10 and 20. */
    private static List<String> clean() {
        return LOG.stream(0, 25, 10);
    }

    @Test
    void aCleanStreamVerifiesAndSaysWhatIsNotYetUnderACheckpoint() {
        StreamVerification result = LOG.verify(clean());
        assertThat(result.failures()).isEmpty();
        assertThat(result.ok()).isTrue();
        assertThat(result.summary()).isEqualTo("OK: 25 events (indices 0..24), 0 identical duplicates, "
                + "2 checkpoint records; 20 of 25 events proven included under a signed checkpoint of example/acme");
        assertThat(result.notes()).containsExactly("5 events are not proven included (the first at index 20): no "
                + "checkpoint record in the capture covers them whole (they follow the last checkpoint record, size 20)");
    }

    @Test
    void aGapFails() {
        List<String> lines = clean();
        lines.remove(7); // index 7
        StreamVerification result = LOG.verify(lines);
        assertThat(result.ok()).isFalse();
        assertThat(result.failures()).containsExactly(
                "gap: 1 index between 0 and 24 never arrived: 7");
        assertThat(result.notes()).anyMatch(note -> note.contains("inclusion of indices 0..9 not provable: 1 of their "
                + "records are not in the capture"));
        assertThat(result.provenEvents()).isEqualTo(10); // 10..19
    }

    @Test
    void anIdenticalDuplicateIsCountedNotFailed() {
        List<String> lines = clean();
        // at-least-once: the sink resent 12..14 after a lost acknowledgement
        lines.add(14, lines.get(13));
        lines.add(14, lines.get(12));
        lines.add(14, lines.get(11));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).isEmpty();
        assertThat(result.duplicates()).isEqualTo(3);
        assertThat(result.summary()).startsWith("OK: 25 events (indices 0..24), 3 identical duplicates,");
    }

    @Test
    void aDuplicateWithOtherContentFails() {
        List<String> lines = clean();
        StreamRecord other = new StreamRecord(3, LOG.events.get(4).leafHash(), StreamFixture.TENANT,
                LOG.record(4).event());
        lines.add(StreamRecordFormat.write(other));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.ok()).isFalse();
        assertThat(result.failures()).singleElement().asString()
                .startsWith("line 28: index 3: delivered again with other content: first event "
                        + LOG.events.get(3).id());
    }

    @Test
    void theSameEventAtAnotherIndexFails() {
        List<String> lines = clean();
        lines.add(StreamRecordFormat.write(new StreamRecord(30, LOG.events.get(4).leafHash(), StreamFixture.TENANT,
                LOG.record(4).event())));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).containsExactly("line 28: index 30: event " + LOG.events.get(4).id()
                + " was already delivered at index 4");
    }

    @Test
    void aTamperedEventFailsItsLeafHashAndItsInclusion() {
        List<String> lines = clean();
        StreamRecord genuine = LOG.record(5);
        Map<String, JsonValue> event = new LinkedHashMap<>(genuine.event().members());
        event.put("outcome", new JsonString("failure")); // was success
        lines.set(5, StreamRecordFormat.write(new StreamRecord(5, genuine.leafHash(), StreamFixture.TENANT,
                new JsonObject(event))));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.ok()).isFalse();
        assertThat(result.failures()).hasSize(2);
        assertThat(result.failures().get(0)).startsWith("line 6: index 5: leaf hash " + genuine.leafHash().hex()
                + " does not match its event (recomputed ").endsWith("): the event was changed");
        assertThat(result.failures().get(1)).isEqualTo("checkpoint record on line 11 (size 10): the events at "
                + "indices 0..9 do not hash to the signed root: they are not the log's leaves at those indices");
    }

    @Test
    void aTamperedEventWithARecomputedLeafHashStillFailsItsInclusion() {
        List<String> lines = clean();
        StreamRecord genuine = LOG.record(15);
        Map<String, JsonValue> event = new LinkedHashMap<>(genuine.event().members());
        event.put("reason", new JsonString("routine"));
        JsonObject changed = new JsonObject(event);
        lines.set(16, StreamRecordFormat.write(new StreamRecord(15, StreamEvents.leafHashOf(changed),
                StreamFixture.TENANT, changed)));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).containsExactly("checkpoint record on line 22 (size 20): the events at "
                + "indices 10..19 do not hash to the signed root: they are not the log's leaves at those indices");
    }

    @Test
    void aBadCheckpointSignatureFails() {
        List<String> lines = clean();
        StreamCheckpointRecord genuine = LOG.checkpoint(10, 20);
        String note = genuine.note();
        int at = note.lastIndexOf(' ') + 10; // inside the signature, past the 4-byte key id
        char flipped = note.charAt(at) == 'A' ? 'B' : 'A';
        String forged = note.substring(0, at) + flipped + note.substring(at + 1);
        lines.set(21, StreamRecordFormat.write(new StreamCheckpointRecord(StreamFixture.TENANT, forged, 10, 20,
                genuine.consistencyProof(), genuine.frontier())));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.ok()).isFalse();
        assertThat(result.failures()).hasSize(1);
        assertThat(result.failures().get(0)).startsWith("line 22: checkpoint record [10, 20): the checkpoint does "
                + "not verify with key example/acme+").endsWith(" does not verify");
        assertThat(result.provenEvents()).isEqualTo(10);
    }

    @Test
    void aCheckpointByAnotherKeyFails() {
        StreamFixture other = new StreamFixture(25);
        List<String> lines = clean();
        String body = Checkpoint.of(StreamFixture.ORIGIN, 10, LOG.tree.root(10)).body();
        lines.set(10, StreamRecordFormat.write(StreamCheckpointRecord.of(StreamFixture.TENANT,
                other.signer.sign(body).serialize(), 0, 10, LOG.tree)));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).singleElement().asString().contains("checkpoint carries no signature by a key "
                + "in the key set");
    }

    @Test
    void aBadConsistencyProofFails() {
        List<String> lines = clean();
        StreamCheckpointRecord genuine = LOG.checkpoint(10, 20);
        List<Hash> proof = new ArrayList<>(genuine.consistencyProof());
        byte[] bytes = proof.get(0).bytes();
        bytes[0] ^= 1;
        proof.set(0, new Hash(bytes));
        lines.set(21, StreamRecordFormat.write(new StreamCheckpointRecord(StreamFixture.TENANT, genuine.note(), 10, 20,
                proof, genuine.frontier())));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).containsExactly("line 22: checkpoint record [10, 20): the consistency proof "
                + "from size 10 to size 20 does not verify against the previous checkpoint record");
    }

    @Test
    void aRangeThatSkipsThePreviousCheckpointFails() {
        List<String> lines = clean();
        lines.set(21, StreamRecordFormat.write(LOG.checkpoint(5, 20)));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).contains("line 22: checkpoint record [5, 20): the range starts at 5, not at the "
                + "previous checkpoint record's size 10");
    }

    @Test
    void aStreamThatStartsMidLogProvesItsRangesFromTheFrontier() {
        // A sink created at index 13: its first checkpoint record covers [13, 20) and carries the frontier of 13.
        List<String> lines = LOG.stream(13, 25, 10);
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).isEmpty();
        assertThat(result.summary()).isEqualTo("OK: 12 events (indices 13..24), 0 identical duplicates, "
                + "1 checkpoint record; 7 of 12 events proven included under a signed checkpoint of example/acme");
    }

    @Test
    void aCaptureThatStartsInsideACheckpointRangeSaysWhatItCannotProve() {
        // The capture begins at index 13, but the checkpoint record covers [10, 20): 10..12 are not in it.
        List<String> lines = clean().subList(14, 27);
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).isEmpty();
        assertThat(result.notes()).contains("checkpoint record on line 8 (size 20): inclusion of indices 10..19 not "
                + "provable: 3 of their records are not in the capture (without earlier leaves or proofs nothing is "
                + "proven about a range the capture does not hold whole)");
        assertThat(result.provenEvents()).isZero();
    }

    @Test
    void aForkedCheckpointFailsAndARepeatedOneIsCounted() {
        List<String> lines = clean();
        lines.add(lines.get(10)); // the checkpoint record of size 10 again
        StreamVerification repeated = LOG.verify(lines);
        assertThat(repeated.failures()).isEmpty();
        assertThat(repeated.summary()).contains("3 checkpoint records (1 repeated)");

        InMemoryMerkleTree fork = new InMemoryMerkleTree(); // another history, signed by the log's own key
        for (int i = 0; i < 10; i++) {
            fork.append(i == 9 ? LOG.events.get(11).leafHash() : LOG.tree.leafHash(i));
        }
        List<String> forked = clean();
        String forkNote = Checkpoint.of(StreamFixture.ORIGIN, 10, fork.root(10)).sign(LOG.signer).serialize();
        forked.add(StreamRecordFormat.write(StreamCheckpointRecord.of(StreamFixture.TENANT, forkNote, 0, 10,
                fork)));
        StreamVerification result = LOG.verify(forked);
        assertThat(result.failures()).singleElement().asString().startsWith("line 28: checkpoint record [0, 10): a "
                + "second checkpoint of size 10 with another root hash").endsWith("the log forked");
    }

    @Test
    void aLineThatIsNotARecordFailsWithItsLineNumber() {
        List<String> lines = clean();
        lines.add(3, "{\"kind\":\"event\",\"index\":3}");
        lines.add(4, "not json");
        lines.add(5, "");
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).hasSize(2);
        assertThat(result.failures().get(0)).isEqualTo("line 4: not a stream record: an event record needs an "
                + "'event' object");
        assertThat(result.failures().get(1)).startsWith("line 5: not a stream record: not valid JSON");
    }

    @Test
    void anotherTenantsRecordFails() {
        List<String> lines = clean();
        StreamRecord genuine = LOG.record(2);
        lines.add(StreamRecordFormat.write(new StreamRecord(26, genuine.leafHash(), "globex", genuine.event())));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).containsExactly("line 28: tenant 'globex' is not the stream's tenant 'acme'");
    }

    @Test
    void anExpectedOriginIsEnforced() {
        StreamVerifier verifier = new StreamVerifier(LOG.keys(), "example/globex", StreamVerifier.Format.NATIVE);
        clean().forEach(verifier::accept);
        StreamVerification result = verifier.finish();
        assertThat(result.failures()).hasSize(2).allMatch(failure -> failure.endsWith("checkpoint origin "
                + "'example/acme' is not the expected origin 'example/globex'"));
    }

    @Test
    void aRecordWithAHugeIndexCostsNoMoreThanItsLine() {
        List<String> lines = clean();
        lines.remove(lines.size() - 1); // index 24, sent again at index 2^53
        lines.add(StreamRecordFormat.write(new StreamRecord(1L << 53, LOG.events.get(24).leafHash(),
                StreamFixture.TENANT, LOG.record(24).event())));
        StreamVerification result = LOG.verify(lines); // a loop over the indices in between would never end
        assertThat(result.failures()).containsExactly("gap: " + ((1L << 53) - 24) + " indices between 0 and "
                + (1L << 53) + " never arrived: 24.." + ((1L << 53) - 1));
    }
    @Test
    void aTruncatedRecordFillsItsIndexButIsNotProven() {
        List<String> lines = clean();
        lines.set(4, StreamRecordFormat.write(StreamTruncatedRecord.of(LOG.record(4)))); // index 4
        lines.set(13, StreamRecordFormat.write(StreamTruncatedRecord.of(LOG.record(12)))); // index 12
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).isEmpty();
        assertThat(result.truncated()).isEqualTo(2);
        assertThat(result.summary()).isEqualTo("OK: 23 events (indices 0..24), 2 truncated (not verifiable from the "
                + "stream: fetch them from the API), 0 identical duplicates, 2 checkpoint records; 18 of 23 events "
                + "proven included under a signed checkpoint of example/acme");
        assertThat(result.notes()).contains("2 records were truncated to fit the sink's message size, so their events "
                + "are not in the stream and cannot be verified from it: fetch them from the API: 4 (event "
                + LOG.events.get(4).id() + "), 12 (event " + LOG.events.get(12).id() + ")");
    }

    @Test
    void aTruncatedRecordWithAWrongLeafHashFailsItsRange() {
        List<String> lines = clean();
        lines.set(4, StreamRecordFormat.write(new StreamTruncatedRecord(4, LOG.events.get(5).leafHash(),
                StreamFixture.TENANT, LOG.events.get(4).id().toString())));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).containsExactly("checkpoint record on line 11 (size 10): the events at "
                + "indices 0..9 do not hash to the signed root: they are not the log's leaves at those indices");
    }

    @Test
    void theFullEventAfterItsTruncatedRecordIsVerifiedAndATruncatedRepeatIsADuplicate() {
        List<String> lines = clean();
        lines.add(0, StreamRecordFormat.write(StreamTruncatedRecord.of(LOG.record(3))));
        lines.add(StreamRecordFormat.write(StreamTruncatedRecord.of(LOG.record(7))));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).isEmpty();
        assertThat(result.truncated()).isZero();
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.summary()).startsWith("OK: 25 events (indices 0..24), 1 identical duplicate,");
    }

    @Test
    void aTruncatedRecordOfAnotherEventFails() {
        List<String> lines = clean();
        lines.add(StreamRecordFormat.write(StreamTruncatedRecord.of(new StreamRecord(3, LOG.events.get(4).leafHash(),
                StreamFixture.TENANT, LOG.record(4).event()))));
        StreamVerification result = LOG.verify(lines);
        assertThat(result.failures()).singleElement().asString().startsWith("line 28: index 3: delivered again with "
                + "other content: first event " + LOG.events.get(3).id());
    }

    @Test
    void truncatedRecordsAreReadInAnOcsfCaptureToo() {
        List<String> lines = new ArrayList<>();
        for (String line : LOG.stream(0, 10, 10)) {
            StreamLine record = StreamRecordFormat.parse(line);
            lines.add(record instanceof StreamRecord event
                    ? (event.index() == 6 ? StreamRecordFormat.write(StreamTruncatedRecord.of(event))
                            : CanonicalJson.canonicalize(
                                    OcsfFormat.toOcsf(event, OcsfMapping.DEFAULT)))
                    : line);
        }
        StreamVerification result = LOG.verify(lines, StreamVerifier.Format.OCSF);
        assertThat(result.failures()).isEmpty();
        assertThat(result.summary()).isEqualTo("OK: 9 events (indices 0..9), 1 truncated (not verifiable from the "
                + "stream: fetch them from the API), 0 identical duplicates, 1 checkpoint record; 9 of 9 events "
                + "proven included under a signed checkpoint of example/acme");
    }
}
