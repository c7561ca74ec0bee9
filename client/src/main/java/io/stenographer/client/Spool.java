package io.stenographer.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The durable queue of SPOOL mode: append-only segment files of length-prefixed, checksummed records, forced to disk
 * once per appended batch, and a small acknowledgement file holding the last sequence number the service answered.
 *
 * <p>Record: length of the payload (4 bytes), sequence number (8), CRC-32 of sequence and payload (4), payload (the
 * event's request JSON, idempotency key included). A record torn by a crash can only be at the end of the last
 * segment, and only in a batch whose {@code log()} calls had not returned: recovery cuts it off. A bad record
 * anywhere else is damage, and recovery refuses to guess.
 */
final class Spool implements AutoCloseable {

    static final String ACKNOWLEDGED = "acknowledged";
    private static final String PREFIX = "spool-";
    private static final String SUFFIX = ".log";
    private static final int HEADER = 16;
    static final int MAX_RECORD = 16 << 20;

    /** One spooled event. */
    record Record(long sequence, byte[] payload) {
    }

    private final Path directory;
    private final long segmentBytes;
    private final long maxBytes;
    /** First sequence of each segment, and its file. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private final long recovered;
    private FileChannel current;
    private long currentSize;
    private long nextSequence;
    private long acknowledged;
    private long totalBytes;
    /** Held while the spool is open: two clients on one directory would send and delete each other's records. */
    private final FileChannel lockFile;
    private final java.nio.channels.FileLock lock;
    /** Set when a failed append could not be undone: nothing more is appended, so nothing lands after garbage. */
    private IOException broken;

    Spool(Path directory, long segmentBytes, long maxBytes) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(directory);
            lockFile = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            java.nio.channels.FileLock taken;
            try {
                taken = lockFile.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                taken = null;
            }
            if (taken == null) {
                lockFile.close();
                throw new AuditClientException("the spool directory " + directory + " is in use by another client");
            }
            lock = taken;
            acknowledged = readAcknowledged();
            nextSequence = acknowledged + 1;
            recovered = recover();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spool in " + directory, e);
        }
    }

    /** How many records an earlier run left that the service never answered; they are sent first. */
    long recoveredRecords() {
        return recovered;
    }

    /**
     * Appends the payloads in order and forces them to disk before it returns.
     *
     * @return the sequence number of the first
     * @throws AuditClientException when the spool would grow past its limit (nothing of the batch is written)
     */
    synchronized long append(List<byte[]> payloads) {
        long bytes = 0;
        for (byte[] payload : payloads) {
            bytes += HEADER + payload.length;
        }
        if (totalBytes + bytes > maxBytes) {
            throw new QueueFullException("the spool in " + directory + " holds " + totalBytes
                    + " bytes and may not grow past " + maxBytes + "; the events were not logged");
        }
        if (broken != null) {
            throw new UncheckedIOException("the spool in " + directory + " stopped after a write it could not undo",
                    broken);
        }
        long first = nextSequence;
        long sizeBefore = currentSize;
        try {
            if (current == null || currentSize >= segmentBytes) {
                roll();
                sizeBefore = 0;
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) bytes);
            for (byte[] payload : payloads) {
                long sequence = nextSequence++;
                buffer.putInt(payload.length).putLong(sequence).putInt(crc(sequence, payload)).put(payload);
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                current.write(buffer);
            }
            current.force(false);
            currentSize += bytes;
            totalBytes += bytes;
            return first;
        } catch (IOException e) {
            // Undo the append whole, so the sender never reads these records and the next append follows whole
            // records only; its callers are told it failed.
            nextSequence = first;
            try {
                if (current != null) {
                    current.truncate(sizeBefore);
                    current.force(true);
                }
            } catch (IOException undo) {
                e.addSuppressed(undo);
                broken = e;
            }
            throw new UncheckedIOException("cannot append to the spool in " + directory, e);
        }
    }

    /** Where the sender is in the spool: a segment and a byte offset in it. */
    static final class Cursor {
        private Long segment;
        private long offset;
    }

    /**
     * The next records after the cursor, skipping those already acknowledged: at most {@code max}, and no more
     * payload bytes than {@code maxBytes} unless the first alone is larger. Moves the cursor past them.
     */
    synchronized List<Record> next(Cursor cursor, int max, long maxBytes) {
        return next(cursor, max, maxBytes, true);
    }

    /** {@link #next(Cursor, int, long)}; {@code firstMayExceed} false when adding to a batch already begun. */
    synchronized List<Record> next(Cursor cursor, int max, long maxBytes, boolean firstMayExceed) {
        List<Record> out = new ArrayList<>();
        long bytes = 0;
        try {
            while (out.size() < max) {
                if (cursor.segment == null || !segments.containsKey(cursor.segment)) {
                    Long first = cursor.segment == null ? (segments.isEmpty() ? null : segments.firstKey())
                            : segments.ceilingKey(cursor.segment);
                    if (first == null) {
                        break;
                    }
                    cursor.segment = first;
                    cursor.offset = 0;
                }
                Path file = segments.get(cursor.segment);
                if (cursor.offset >= Files.size(file)) {
                    Long following = segments.higherKey(cursor.segment);
                    if (following == null) {
                        break;
                    }
                    cursor.segment = following;
                    cursor.offset = 0;
                    continue;
                }
                Record record = readAt(file, cursor.offset);
                if (record.sequence() <= acknowledged) {
                    cursor.offset += HEADER + record.payload().length;
                    continue;
                }
                if ((!out.isEmpty() || !firstMayExceed) && bytes + record.payload().length > maxBytes) {
                    break;
                }
                out.add(record);
                bytes += record.payload().length;
                cursor.offset += HEADER + record.payload().length;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spool in " + directory, e);
        }
    }

    private Record readAt(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            readFully(channel, header, offset);
            int length = header.getInt(0);
            long sequence = header.getLong(4);
            int crc = header.getInt(12);
            if (length < 0 || length > MAX_RECORD) {
                throw new AuditClientException("the spool segment " + file + " is damaged at byte " + offset);
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(channel, payload, offset + HEADER);
            if (crc != crc(sequence, payload.array())) {
                throw new AuditClientException("the spool segment " + file + " is damaged at byte " + offset);
            }
            return new Record(sequence, payload.array());
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of a spool segment");
            }
        }
    }

    synchronized long lastSequence() {
        return nextSequence - 1;
    }

    /**
     * The service answered every record up to {@code sequence}: noted durably, and segments wholly behind it are
     * deleted. Losing the note in a crash only means those records are sent again, under the same keys.
     */
    synchronized void acknowledge(long sequence) {
        if (sequence <= acknowledged) {
            return;
        }
        try {
            Path temporary = directory.resolve(ACKNOWLEDGED + ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap((sequence + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            Files.move(temporary, directory.resolve(ACKNOWLEDGED), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            acknowledged = sequence;
            while (segments.size() > 1) {
                Long second = segments.keySet().stream().skip(1).findFirst().orElseThrow();
                if (second - 1 > acknowledged) {
                    break;
                }
                Path done = segments.pollFirstEntry().getValue();
                totalBytes -= Files.size(done);
                Files.delete(done);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot note acknowledged events in " + directory, e);
        }
    }

    synchronized long acknowledgedSequence() {
        return acknowledged;
    }

    @Override
    public synchronized void close() {
        try {
            if (current != null) {
                current.close();
            }
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void roll() throws IOException {
        if (current != null) {
            current.close();
        }
        Path segment = directory.resolve(String.format("%s%020d%s", PREFIX, nextSequence, SUFFIX));
        current = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segments.put(nextSequence, segment);
        currentSize = 0;
        forceDirectory();
    }

    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for reading; the segment's own force still holds its bytes.
        }
    }

    private long readAcknowledged() throws IOException {
        Path file = directory.resolve(ACKNOWLEDGED);
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new AuditClientException("the spool's acknowledgement file " + file + " is damaged: '" + text + "'");
        }
    }

    private long recover() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                segments.put(Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length())), file);
            }
        }
        long pending = 0;
        for (var entry : List.copyOf(segments.entrySet())) {
            boolean last = entry.getKey().equals(segments.lastKey());
            for (Record record : read(entry.getValue(), last)) {
                if (record.sequence() >= nextSequence) {
                    nextSequence = record.sequence() + 1;
                }
                if (record.sequence() > acknowledged) {
                    pending++;
                }
            }
            if (Files.size(entry.getValue()) == 0) {
                // Created by a run that crashed before its first record was whole: nothing to keep, and the next
                // segment may need its name.
                Files.delete(entry.getValue());
                segments.remove(entry.getKey());
                continue;
            }
            totalBytes += Files.size(entry.getValue());
        }
        return pending;
    }

    /** A segment's records; a torn tail of the last segment is cut off, damage anywhere else is refused. */
    private List<Record> read(Path segment, boolean cutTornTail) throws IOException {
        List<Record> records = new ArrayList<>();
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(segment));
        while (all.remaining() > 0) {
            int start = all.position();
            boolean whole = all.remaining() >= HEADER;
            int length = whole ? all.getInt() : -1;
            whole = whole && length >= 0 && length <= MAX_RECORD && all.remaining() >= 12 + length;
            if (whole) {
                long sequence = all.getLong();
                int crc = all.getInt();
                byte[] payload = new byte[length];
                all.get(payload);
                if (crc == crc(sequence, payload)) {
                    records.add(new Record(sequence, payload));
                    continue;
                }
            }
            if (!cutTornTail) {
                throw new AuditClientException("the spool segment " + segment + " is damaged at byte " + start
                        + "; it was not written by a crash, so it is left for inspection");
            }
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                channel.truncate(start);
                channel.force(true);
            }
            break;
        }
        return records;
    }

    private static int crc(long sequence, byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(8).putLong(0, sequence).array());
        crc.update(payload);
        return (int) crc.getValue();
    }
}
