package io.stenographer.bootstrap.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Key files only their owner may read: refused at start when group or others may read them, and written so that no
 * reader ever sees a half-written file and no other user can read even the first byte (the permissions are set when
 * the file is created, not afterwards).
 */
public final class OwnerOnlyFiles {

    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Stops the start when group or others have any permission on {@code file}, named as {@code what}. */
    public static void refuseLoosePermissions(Path file, String what) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
            throw new IllegalStateException(what + " " + file + " is readable by group or others; chmod 600 it");
        }
    }

    /**
     * Creates {@code file} with {@code content}, complete or not at all, unless it exists: a hard link of a finished
     * temporary file fails when the name is taken, so of two instances generating a key at once exactly one wins.
     *
     * @return false if the file already existed (the caller reads the winner's)
     */
    public static boolean createExclusively(Path file, byte[] content) throws IOException {
        Path temporary = writeTemporary(file, content);
        try {
            Files.createLink(file, temporary);
            syncDirectory(file);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } catch (UnsupportedOperationException noHardLinks) {
            try {
                Files.move(temporary, file); // without REPLACE_EXISTING: fails if the name is taken
                syncDirectory(file);
                return true;
            } catch (FileAlreadyExistsException raced) {
                return false;
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Replaces {@code file} atomically: a reader or a crash sees the old content or the new, never a mix. */
    public static void replaceAtomically(Path file, byte[] content) throws IOException {
        Path temporary = writeTemporary(file, content);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(file);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + file + " atomically on this file system", e);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** An owner-only temporary file next to {@code file} (same file system, so a move is a rename), synced. */
    private static Path writeTemporary(Path file, byte[] content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        return temporary;
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, and there it is skipped. */
    private static void syncDirectory(Path file) {
        try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not all platforms support fsync on a directory; the file's own content is already synced.
        }
    }
}
