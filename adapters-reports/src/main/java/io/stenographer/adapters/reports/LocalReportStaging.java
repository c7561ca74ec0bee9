package io.stenographer.adapters.reports;

import io.stenographer.application.port.out.StageReportFilesPort;
import io.stenographer.application.port.out.StoreReportFilesPort;
import io.stenographer.domain.merkle.Hash;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This instance's scratch space for report files ({@code <reports dir>/.staging}, a name no tenant id can take): a
 * file being generated on its way into the shared store, or a stored file being checked on its way to a client. Each
 * copy is an owner-only file (0600 in a 0700 directory) under a random name, hashed as it is written, deleted when its
 * handle is closed; copies left by an instance that stopped are deleted when the next one starts. Nothing here is
 * read by any other instance, and nothing here is the report's file of record.
 */
public final class LocalReportStaging implements StageReportFilesPort {

    private static final int BUFFER = 1 << 16;

    private final Path directory;

    public LocalReportStaging(Path reportsDirectory) throws IOException {
        this.directory = ScratchDirectory.prepare(reportsDirectory.resolve(".staging"), "*.part");
    }

    public Path directory() {
        return directory;
    }

    @Override
    public Staged stage(StoreReportFilesPort.Content content) throws IOException {
        Path file = directory.resolve(UUID.randomUUID() + ".part");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        MessageDigest sha256 = sha256();
        long[] bytes = {0};
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(new FilterOutputStream(Files.newOutputStream(file)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    sha256.update(b, off, len);
                    bytes[0] += len;
                    out.write(b, off, len);
                }

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }
            }, BUFFER)) {
                content.writeTo(out);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(file);
            }
        }
        return new Copy(file, bytes[0], new Hash(sha256.digest()));
    }

    private static final class Copy implements Staged {
        private final Path file;
        private final long bytes;
        private final Hash sha256;
        private final AtomicBoolean closed = new AtomicBoolean();

        Copy(Path file, long bytes, Hash sha256) {
            this.file = file;
            this.bytes = bytes;
            this.sha256 = sha256;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public Hash sha256() {
            return sha256;
        }

        @Override
        public InputStream open(long offset, long length) throws IOException {
            if (offset < 0 || length < 0 || offset + length > bytes) {
                throw new IllegalArgumentException("bytes " + offset + " to " + (offset + length) + " are outside the "
                        + bytes + " of the copy");
            }
            if (closed.get()) {
                throw new IOException("the scratch copy was closed");
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            InputStream whole = Channels.newInputStream(channel);
            return new InputStream() {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = whole.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = whole.read(buffer, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    whole.close();
                }
            };
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a leftover copy is owner-only, and deleted at the next start
                }
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
