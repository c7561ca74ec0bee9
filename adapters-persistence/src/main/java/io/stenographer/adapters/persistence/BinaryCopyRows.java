package io.stenographer.adapters.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.copy.CopyOut;

/**
 * Reads the rows of a {@code COPY ... TO STDOUT (FORMAT binary)} field by field, straight from the driver's
 * CopyData messages with no stream layers in between (PostgreSQL documentation, "COPY", "Binary Format"). A field
 * may span messages; the header and trailer are checked. Values are taken as the server sends them, so an altered
 * column comes back exactly as stored.
 */
final class BinaryCopyRows implements AutoCloseable {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** PostgreSQL's timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;

    private final CopyOut copy;
    private byte[] buffer = new byte[0];
    private int position;
    private long bytesRead;
    private boolean ended;

    BinaryCopyRows(CopyOut copy) throws SQLException {
        this.copy = copy;
        require(SIGNATURE.length + 8);
        if (!Arrays.equals(buffer, position, position + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IllegalStateException("not a binary COPY stream: bad signature");
        }
        position += SIGNATURE.length;
        int flags = int32();
        // Bits 0-15 are critical and none is defined; bit 16 would mean OIDs, which this statement never asks for.
        if ((flags & 0x1FFFF) != 0) {
            throw new IllegalStateException("binary COPY header has unexpected flags " + flags);
        }
        int extension = int32();
        require(extension);
        position += extension;
    }

    /**
     * Moves to the next row.
     *
     * @return false at the trailer
     * @throws IllegalStateException when the row has another number of fields than the statement selects
     */
    boolean next(int fields) throws SQLException {
        require(2);
        short count = (short) ((buffer[position] & 0xFF) << 8 | buffer[position + 1] & 0xFF);
        position += 2;
        if (count == -1) {
            ended = true;
            return false;
        }
        if (count != fields) {
            throw new IllegalStateException("binary COPY row has " + count + " fields, expected " + fields);
        }
        return true;
    }

    /** Bytes of field data read so far, for callers that bound memory by bytes. */
    long bytesRead() {
        return bytesRead;
    }

    String text() throws SQLException {
        int length = fieldLength();
        if (length < 0) {
            return null;
        }
        String text = new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return text;
    }

    byte[] bytes() throws SQLException {
        int length = fieldLength();
        if (length < 0) {
            return null;
        }
        byte[] bytes = Arrays.copyOfRange(buffer, position, position + length);
        position += length;
        return bytes;
    }

    long int8() throws SQLException {
        int length = fieldLength();
        if (length != 8) {
            throw new IllegalStateException("expected an 8-byte bigint, field length " + length);
        }
        return int64();
    }

    UUID uuid() throws SQLException {
        int length = fieldLength();
        if (length < 0) {
            return null;
        }
        if (length != 16) {
            throw new IllegalStateException("expected a 16-byte uuid, field length " + length);
        }
        return new UUID(int64(), int64());
    }

    /** A {@code timestamptz}; the infinities come back as instants far outside any event's range. */
    Instant timestamp() throws SQLException {
        int length = fieldLength();
        if (length < 0) {
            return null;
        }
        if (length != 8) {
            throw new IllegalStateException("expected an 8-byte timestamp, field length " + length);
        }
        long micros = int64();
        return Instant.ofEpochSecond(POSTGRES_EPOCH_SECOND + Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** Stops a stream that was not read to its end, so the connection can be used again. */
    @Override
    public void close() throws SQLException {
        if (!ended && copy.isActive()) {
            copy.cancelCopy();
            return;
        }
        while (copy.isActive() && copy.readFromCopy() != null) {
            // the end of the COPY: nothing follows the trailer but CopyDone
        }
    }

    private int fieldLength() throws SQLException {
        int length = int32();
        if (length >= 0) {
            require(length);
            bytesRead += length;
        } else if (length != -1) {
            throw new IllegalStateException("binary COPY field has length " + length);
        }
        return length;
    }

    private int int32() throws SQLException {
        require(4);
        int value = (buffer[position] & 0xFF) << 24 | (buffer[position + 1] & 0xFF) << 16
                | (buffer[position + 2] & 0xFF) << 8 | buffer[position + 3] & 0xFF;
        position += 4;
        return value;
    }

    private long int64() throws SQLException {
        require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | buffer[position + i] & 0xFF;
        }
        position += 8;
        return value;
    }

    /** Makes {@code count} bytes available from {@code position}, joining messages when a value spans them. */
    private void require(int count) throws SQLException {
        if (buffer.length - position >= count) {
            return;
        }
        byte[] joined = Arrays.copyOfRange(buffer, position, buffer.length);
        while (joined.length < count) {
            byte[] message = copy.readFromCopy();
            if (message == null) {
                throw new IllegalStateException("binary COPY stream ended inside a row");
            }
            if (joined.length == 0) {
                joined = message;
            } else {
                byte[] longer = Arrays.copyOf(joined, joined.length + message.length);
                System.arraycopy(message, 0, longer, joined.length, message.length);
                joined = longer;
            }
        }
        buffer = joined;
        position = 0;
    }
}
