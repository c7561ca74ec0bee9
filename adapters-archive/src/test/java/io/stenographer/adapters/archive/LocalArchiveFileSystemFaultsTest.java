package io.stenographer.adapters.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveUnavailable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local archive on a real file system that fills up or turns read-only: a tmpfs of 256 KiB mounted for the
 * test (the build runs as root, as on CI; without the right to mount, this test fails and says so, it never
 * skips). A failed store is {@link ArchiveUnavailable}, the one error the archive job treats as "fail this
 * run cleanly, record why, retry next run, purge nothing", it leaves no object, manifest or temporary file
 * behind, and objects stored before stay readable and intact. Once space or write access is back, the same
 * store succeeds.
 */
class LocalArchiveFileSystemFaultsTest {

    private static final String KEY = "acme/segment-0-99.ndjson.gz";

    @TempDir
    Path temp;

    private Path mountPoint;
    private LocalDirectoryArchive archive;
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void mountSmallFileSystem() throws IOException {
        mountPoint = Files.createDirectory(temp.resolve("fs"));
        run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", mountPoint.toString());
        archive = new LocalDirectoryArchive(mountPoint.resolve("archive"), clock);
        archive.checkWormCapable();
    }

    @AfterEach
    void unmount() throws IOException {
        run("umount", mountPoint.toString());
    }

    @Test
    void aFullFileSystemFailsTheStoreCleanlyAndTheRetrySucceedsOnceThereIsSpace() throws IOException {
        byte[] stored = randomBytes(16 * 1024);
        archive.put("acme/earlier.ndjson.gz", stored, Sha256.hex(stored), inOneYear());
        Path filler = mountPoint.resolve("filler");
        fill(filler);

        byte[] segment = randomBytes(64 * 1024);
        assertThatThrownBy(() -> archive.put(KEY, segment, Sha256.hex(segment), inOneYear()))
                .isInstanceOf(ArchiveUnavailable.class)
                .hasMessageContaining("No space left on device");
        assertNothingLeftOf(KEY);
        assertReadsBack("acme/earlier.ndjson.gz", stored);

        Files.delete(filler);
        archive.put(KEY, segment, Sha256.hex(segment), inOneYear());
        assertReadsBack(KEY, segment);
    }

    @Test
    void aReadOnlyFileSystemFailsTheStoreCleanlyAndTheRetrySucceedsOnceWritable() throws IOException {
        byte[] stored = randomBytes(16 * 1024);
        archive.put("acme/earlier.ndjson.gz", stored, Sha256.hex(stored), inOneYear());
        run("mount", "-o", "remount,ro", mountPoint.toString());

        byte[] segment = randomBytes(16 * 1024);
        assertThatThrownBy(() -> archive.put(KEY, segment, Sha256.hex(segment), inOneYear()))
                .isInstanceOf(ArchiveUnavailable.class)
                .hasMessageContaining("Read-only file system");
        assertThatThrownBy(() -> archive.setLegalHold("acme/earlier.ndjson.gz", true))
                .isInstanceOf(ArchiveUnavailable.class);
        assertNothingLeftOf(KEY);
        assertReadsBack("acme/earlier.ndjson.gz", stored);
        assertThat(archive.describe("acme/earlier.ndjson.gz").orElseThrow().legalHold())
                .as("a hold that could not be written is not reported as set").isFalse();

        run("mount", "-o", "remount,rw", mountPoint.toString());
        archive.put(KEY, segment, Sha256.hex(segment), inOneYear());
        assertReadsBack(KEY, segment);
    }

    private void assertNothingLeftOf(String key) throws IOException {
        assertThat(archive.describe(key)).as("a failed store reports no object").isEmpty();
        try (Stream<Path> files = Files.walk(mountPoint.resolve("archive"))) {
            List<String> names = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
            assertThat(names).as("files under the archive after a failed store of %s", key)
                    .noneMatch(name -> name.startsWith("segment-0-99"))
                    .noneMatch(name -> name.contains(".tmp"));
        }
    }

    private void assertReadsBack(String key, byte[] expected) throws IOException {
        try (InputStream in = archive.open(key)) {
            assertThat(in.readAllBytes()).as("bytes of %s", key).isEqualTo(expected);
        }
    }

    /** Writes until the file system refuses: the archive then has no room for a segment. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1024; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
            return;
        }
        throw new AssertionError("a 256 KiB tmpfs took 4 MiB: the test file system is not the one mounted");
    }

    private Instant inOneYear() {
        return clock.instant().plus(Duration.ofDays(365));
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes); // incompressible, so sizes are what they say
        return bytes;
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                    + output + "; this test mounts a small tmpfs and needs root, as the build has on CI");
        }
    }
}
