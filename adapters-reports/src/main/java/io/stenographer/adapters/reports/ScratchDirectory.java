package io.stenographer.adapters.reports;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** An instance's own working directory: owner-only, and emptied at start of what a stopped run left behind. */
final class ScratchDirectory {

    private ScratchDirectory() {
    }

    /** Creates {@code directory} (0700) if missing and deletes the files matching {@code leftovers} in it. */
    static Path prepare(Path directory, String leftovers) throws IOException {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try (DirectoryStream<Path> left = Files.newDirectoryStream(directory, leftovers)) {
            for (Path leftover : left) {
                Files.deleteIfExists(leftover);
            }
        }
        return directory;
    }
}
