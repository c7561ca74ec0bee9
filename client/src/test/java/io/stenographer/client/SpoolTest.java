package io.stenographer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's files: order, acknowledgement, segment clean-up, and what a crash can and cannot leave behind. */
class SpoolTest {

    @TempDir
    Path directory;

    private static List<byte[]> payloads(String prefix, int count) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(("{\"clientEventId\":\"" + prefix + i + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> texts(List<Spool.Record> records) {
        return records.stream().map(record -> new String(record.payload(), StandardCharsets.UTF_8)).toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("spool-")).sorted().toList();
        }
    }

    @Test
    void recordsComeBackInOrderAcrossSegmentsAndAcknowledgedSegmentsAreDeleted() throws IOException {
        try (Spool spool = new Spool(directory, 100, 1 << 20)) {
            assertThat(spool.append(payloads("a", 3))).isEqualTo(1);
            assertThat(spool.append(payloads("b", 3))).isEqualTo(4);
            assertThat(spool.append(payloads("c", 3))).isEqualTo(7);
            assertThat(segments()).hasSize(3);
            Spool.Cursor cursor = new Spool.Cursor();

            assertThat(texts(spool.next(cursor, 4, 1 << 20))).containsExactly("{\"clientEventId\":\"a0\"}",
                    "{\"clientEventId\":\"a1\"}", "{\"clientEventId\":\"a2\"}", "{\"clientEventId\":\"b0\"}");
            spool.acknowledge(4);
            assertThat(segments()).as("the first segment is wholly answered").hasSize(2);
            assertThat(spool.next(cursor, 100, 1 << 20)).extracting(Spool.Record::sequence)
                    .containsExactly(5L, 6L, 7L, 8L, 9L);
            assertThat(spool.next(cursor, 100, 1 << 20)).isEmpty();
            assertThat(Files.readString(directory.resolve(Spool.ACKNOWLEDGED)).trim()).isEqualTo("4");
        }
    }

    @Test
    void aRestartSendsOnlyWhatWasNotAcknowledgedAndNumbersOnAfterIt() {
        try (Spool spool = new Spool(directory, 1 << 20, 1 << 20)) {
            spool.append(payloads("a", 5));
            spool.acknowledge(2);
        }
        try (Spool reopened = new Spool(directory, 1 << 20, 1 << 20)) {
            assertThat(reopened.recoveredRecords()).isEqualTo(3);
            assertThat(reopened.next(new Spool.Cursor(), 100, 1 << 20)).extracting(Spool.Record::sequence)
                    .containsExactly(3L, 4L, 5L);
            assertThat(reopened.append(payloads("b", 1))).isEqualTo(6);
        }
    }

    @Test
    void aRecordTornByACrashAtTheEndIsCutOffAndTheRestKept() throws IOException {
        try (Spool spool = new Spool(directory, 1 << 20, 1 << 20)) {
            spool.append(payloads("a", 3));
        }
        Path segment = segments().get(0);
        long whole = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(whole - 5); // the last append never finished
        }

        try (Spool reopened = new Spool(directory, 1 << 20, 1 << 20)) {
            assertThat(texts(reopened.next(new Spool.Cursor(), 100, 1 << 20)))
                    .containsExactly("{\"clientEventId\":\"a0\"}", "{\"clientEventId\":\"a1\"}");
            assertThat(reopened.append(payloads("b", 1))).as("numbering goes on after the last whole record")
                    .isEqualTo(3);
        }
        assertThat(Files.size(segment)).isLessThan(whole - 5);
    }

    @Test
    void aSegmentACrashLeftEmptyIsRemovedSoTheNextRunCanWrite() throws IOException {
        try (Spool spool = new Spool(directory, 1 << 20, 1 << 20)) {
            spool.append(payloads("a", 2));
            spool.acknowledge(2);
        }
        Files.createFile(directory.resolve(String.format("spool-%020d.log", 3))); // created, never written

        try (Spool reopened = new Spool(directory, 1 << 20, 1 << 20)) {
            assertThat(reopened.append(payloads("b", 1))).isEqualTo(3);
            assertThat(texts(reopened.next(new Spool.Cursor(), 10, 1 << 20))).containsExactly("{\"clientEventId\":\"b0\"}");
        }
    }

    @Test
    void damageBeforeTheEndIsRefusedNotGuessedAround() throws IOException {
        try (Spool spool = new Spool(directory, 60, 1 << 20)) {
            spool.append(payloads("a", 2));
            spool.append(payloads("b", 2));
        }
        Path first = segments().get(0);
        byte[] bytes = Files.readAllBytes(first);
        bytes[20] ^= 1; // inside the first record's payload
        Files.write(first, bytes);

        assertThatThrownBy(() -> new Spool(directory, 60, 1 << 20)).isInstanceOf(AuditClientException.class)
                .hasMessageContaining("damaged at byte 0");
    }

    @Test
    void aFullSpoolRefusesTheWholeAppend() {
        try (Spool spool = new Spool(directory, 1 << 20, 100)) {
            spool.append(payloads("a", 2));
            assertThatThrownBy(() -> spool.append(payloads("b", 2))).isInstanceOf(QueueFullException.class)
                    .hasMessageContaining("may not grow past 100");
            assertThat(spool.lastSequence()).isEqualTo(2);
        }
    }
}
