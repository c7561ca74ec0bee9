package io.stenographer.adapters.reports;

import io.stenographer.application.port.out.SpoolReportEventsPort;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.merkle.Hash;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Spools in a directory of their own ({@code <reports dir>/.spool}, which no tenant id can name), one owner-only
 * file per running report: for each entry its leaf index, leaf hash and the sealed event's canonical JSON, as the
 * archive keeps events. Files left by an instance that stopped mid-report are deleted when the next one starts.
 */
public final class LocalReportSpool implements SpoolReportEventsPort {

    private static final int HASH_BYTES = 32;
    private static final int BUFFER = 1 << 16;

    private final Path directory;

    public LocalReportSpool(Path reportsDirectory) throws IOException {
        this.directory = reportsDirectory.resolve(".spool");
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "*.spool")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
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
            byte[] json = CanonicalJson.canonicalize(SealedEventFormat.toJson(event)).getBytes(StandardCharsets.UTF_8);
            out.writeLong(leaf.index());
            out.write(leaf.leafHash().bytes());
            out.writeInt(json.length);
            out.write(json);
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
                    byte[] json = new byte[in.readInt()];
                    in.readFully(json);
                    AuditEvent event = SealedEventFormat.fromJson(
                            (JsonObject) JsonParser.parse(json, 64));
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
}
