package io.stenographer.adapters.reports;

import io.stenographer.application.port.out.StoreReportFilesPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportFormat;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Report files in a local directory, {@code <dir>/<tenant>/<report id>.<ext>}, owner-only (0600 files,
 * 0700 directories). A file is streamed to {@code .part} and moved into place atomically when complete,
 * so a reader never sees half a report; an existing report file is never overwritten.
 */
public final class LocalReportFiles implements StoreReportFilesPort {

    private final Path root;

    public LocalReportFiles(Path root) {
        this.root = root;
    }

    private Path file(TenantId tenant, UUID id, ReportFormat format) {
        return root.resolve(tenant.value()).resolve(id + "." + format.extension());
    }

    @Override
    public Stored write(TenantId tenant, UUID id, ReportFormat format, Content content) throws IOException {
        Path target = file(tenant, id, format);
        Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path part = directory.resolve(id + "." + format.extension() + ".part");
        Files.deleteIfExists(part);
        Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        MessageDigest sha256 = sha256();
        long[] bytes = {0};
        boolean done = false;
        try (OutputStream out = new BufferedOutputStream(new FilterOutputStream(Files.newOutputStream(part)) {
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
        }, 1 << 16)) {
            content.writeTo(out);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(part);
            }
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target);
        }
        return new Stored(bytes[0], new Hash(sha256.digest()));
    }

    @Override
    public InputStream open(TenantId tenant, UUID id, ReportFormat format) throws IOException {
        return Files.newInputStream(file(tenant, id, format));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
