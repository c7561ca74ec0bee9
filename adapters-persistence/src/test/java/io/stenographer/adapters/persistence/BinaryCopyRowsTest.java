package io.stenographer.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyOut;

/**
 * The binary COPY reader on streams cut anywhere: PostgreSQL sends one row per message today, but a value may span
 * messages in any other cut, and the reader must give the same values for every cut. Also the malformed streams it
 * must refuse rather than misread.
 */
class BinaryCopyRowsTest {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    @Test
    void everyCutOfTheStreamReadsTheSameRows() throws Exception {
        UUID id = UUID.fromString("01a24851-0873-7a3f-9301-89c1312f19a1");
        String text = "Иван Петров 李小龙 😀 \"quoted\"";
        Instant before2000 = Instant.parse("1970-01-01T00:00:00.000001Z");
        Instant after2000 = Instant.parse("2026-12-05T22:40:01.123456Z");
        byte[] stream = stream(4, 2, row -> {
            row.int8(row.index() * 1_000_000_007L);
            row.uuid(id);
            row.text(row.index() == 0 ? text : null);
            row.timestamp(row.index() == 0 ? before2000 : after2000);
        });
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            try (BinaryCopyRows rows = new BinaryCopyRows(new CutStream(stream, random))) {
                for (int r = 0; r < 2; r++) {
                    assertThat(rows.next(4)).isTrue();
                    assertThat(rows.int8()).isEqualTo(r * 1_000_000_007L);
                    assertThat(rows.uuid()).isEqualTo(id);
                    assertThat(rows.text()).isEqualTo(r == 0 ? text : null);
                    assertThat(rows.timestamp()).isEqualTo(r == 0 ? before2000 : after2000);
                }
                assertThat(rows.next(4)).isFalse();
                assertThat(rows.bytesRead()).isEqualTo(2 * (8 + 16 + 8) + text.getBytes(StandardCharsets.UTF_8).length);
            }
        }
    }

    @Test
    void malformedStreamsAreRefusedNotMisread() throws Exception {
        byte[] good = stream(1, 1, row -> row.int8(7));
        byte[] badSignature = good.clone();
        badSignature[0] = 'X';
        assertThatThrownBy(() -> new BinaryCopyRows(new CutStream(badSignature, null)))
                .hasMessageContaining("signature");

        byte[] oidFlag = good.clone();
        oidFlag[SIGNATURE.length + 1] = 1; // bit 16: rows would carry OIDs
        assertThatThrownBy(() -> new BinaryCopyRows(new CutStream(oidFlag, null))).hasMessageContaining("flags");

        try (BinaryCopyRows rows = new BinaryCopyRows(new CutStream(good, null))) {
            assertThatThrownBy(() -> rows.next(2)).hasMessageContaining("1 fields, expected 2");
        }
        byte[] truncated = Arrays.copyOf(good, good.length - 6);
        try (BinaryCopyRows rows = new BinaryCopyRows(new CutStream(truncated, null))) {
            rows.next(1);
            assertThatThrownBy(rows::int8).hasMessageContaining("ended inside a row");
        }
        byte[] wrongWidth = stream(1, 1, row -> row.text("abc"));
        try (BinaryCopyRows rows = new BinaryCopyRows(new CutStream(wrongWidth, null))) {
            rows.next(1);
            assertThatThrownBy(rows::uuid).hasMessageContaining("16-byte uuid");
        }
    }

    // ---- the binary COPY format, written as PostgreSQL writes it ----

    interface RowWriter {
        void write(Row row) throws IOException;
    }

    static final class Row {
        private final DataOutputStream out;
        private final int index;

        Row(DataOutputStream out, int index) {
            this.out = out;
            this.index = index;
        }

        int index() {
            return index;
        }

        void int8(long value) throws IOException {
            out.writeInt(8);
            out.writeLong(value);
        }

        void uuid(UUID id) throws IOException {
            out.writeInt(16);
            out.writeLong(id.getMostSignificantBits());
            out.writeLong(id.getLeastSignificantBits());
        }

        void text(String text) throws IOException {
            if (text == null) {
                out.writeInt(-1);
                return;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        void timestamp(Instant at) throws IOException {
            out.writeInt(8);
            out.writeLong(at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000 - POSTGRES_EPOCH_MICROS);
        }
    }

    private static byte[] stream(int fields, int rows, RowWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(SIGNATURE);
        out.writeInt(0);
        out.writeInt(0);
        for (int r = 0; r < rows; r++) {
            out.writeShort(fields);
            writer.write(new Row(out, r));
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    /** The stream as CopyData messages cut at random places (whole, when no random is given). */
    private static final class CutStream implements CopyOut {
        private final Deque<byte[]> messages = new ArrayDeque<>();
        private boolean cancelled;

        CutStream(byte[] stream, Random random) {
            int at = 0;
            while (at < stream.length) {
                int length = random == null ? stream.length : 1 + random.nextInt(Math.min(40, stream.length - at));
                length = Math.min(length, stream.length - at);
                messages.add(Arrays.copyOfRange(stream, at, at + length));
                at += length;
            }
        }

        @Override
        public byte[] readFromCopy() {
            return messages.poll();
        }

        @Override
        public byte[] readFromCopy(boolean block) {
            return readFromCopy();
        }

        @Override
        public int getFieldCount() {
            return 0;
        }

        @Override
        public int getFormat() {
            return 1;
        }

        @Override
        public int getFieldFormat(int field) {
            return 1;
        }

        @Override
        public boolean isActive() {
            return !cancelled && !messages.isEmpty();
        }

        @Override
        public void cancelCopy() throws SQLException {
            cancelled = true;
        }

        @Override
        public long getHandledRowCount() {
            return 0;
        }
    }
}
