package io.stenographer.adapters.reports;

import io.stenographer.application.port.out.SpoolReportEventsPort;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.Hash;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.UUID;

/**
 * Spools in a directory of their own ({@code <reports dir>/.spool}, which no tenant id can name), one owner-only
 * file per running report: for each entry its leaf index, leaf hash and the event's stored fields, length-prefixed
 * (metadata as its canonical JSON text), rebuilt and validated on reading as a row from the event store is. Files
 * left by an instance that stopped mid-report are deleted when the next one starts.
 */
public final class LocalReportSpool implements SpoolReportEventsPort {

    private static final int HASH_BYTES = 32;
    private static final int BUFFER = 1 << 16;

    private final Path directory;

    public LocalReportSpool(Path reportsDirectory) throws IOException {
        this.directory = ScratchDirectory.prepare(reportsDirectory.resolve(".spool"), "*.spool");
    }

    @Override
    public Spool create(TenantId tenant, UUID reportId) throws IOException {
        Path file = directory.resolve(reportId + ".spool");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return new FileSpool(tenant, file);
    }

    private static final class FileSpool implements Spool {

        private final TenantId tenant;
        private final Path file;
        private DataOutputStream out;
        private long size;

        FileSpool(TenantId tenant, Path file) throws IOException {
            this.tenant = tenant;
            this.file = file;
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
        }

        @Override
        public void append(LogLeaf leaf, AuditEvent event) throws IOException {
            if (out == null) {
                throw new IllegalStateException("the spool was finished");
            }
            out.writeLong(leaf.index());
            out.write(leaf.leafHash().bytes());
            write(out, StoredEventFields.of(event));
            size++;
        }

        @Override
        public void finishWriting() throws IOException {
            if (out != null) {
                out.close();
                out = null;
            }
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void forEach(Entries consumer) throws IOException {
            if (out != null) {
                throw new IllegalStateException("finish writing before reading the spool");
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER))) {
                byte[] hash = new byte[HASH_BYTES];
                for (long i = 0; i < size; i++) {
                    long index = in.readLong();
                    in.readFully(hash);
                    AuditEvent event = read(in).restore();
                    consumer.accept(new LogLeaf(tenant, index, event.id(), new Hash(hash.clone())), event);
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                finishWriting();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void write(DataOutputStream out, StoredEventFields f) throws IOException {
        out.writeLong(f.id().getMostSignificantBits());
        out.writeLong(f.id().getLeastSignificantBits());
        writeInstant(out, f.receivedAt());
        writeInstant(out, f.occurredAt());
        for (String text : new String[] {f.tenant(), f.submittedBy(), f.actorId(), f.actorType(),
            f.actorDisplayName(), f.action(), f.resourceType(), f.resourceId(), f.reason(), f.outcome(),
            f.sourceApplication(), f.sourceIp(), f.sourceUserAgent(), f.correlationId(), f.metadata(),
            f.clientEventId(), f.personal()}) {
            writeText(out, text);
        }
    }

    private static StoredEventFields read(DataInputStream in) throws IOException {
        UUID id = new UUID(in.readLong(), in.readLong());
        Instant receivedAt = readInstant(in);
        Instant occurredAt = readInstant(in);
        String[] t = new String[17];
        for (int i = 0; i < t.length; i++) {
            t[i] = readText(in);
        }
        return new StoredEventFields(id, t[0], receivedAt, t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9],
                occurredAt, t[10], t[11], t[12], t[13], t[14], t[15], t[16]);
    }

    private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
        out.writeLong(at.getEpochSecond());
        out.writeInt(at.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    /** Length-prefixed UTF-8, -1 for null. */
    private static void writeText(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
