package io.stenographer.adapters.archive;

import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveDeletionRefused;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveNotWormCapable;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveObjectExists;
import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local directory archive: the contract, plus what it promises on disk. Its locks are enforced by
 * its own code only: root (which these tests run as on CI) can still change or delete the files, which
 * is why S3 Object Lock is the production path and why {@link LocalDirectoryArchive#open} re-checks
 * the bytes.
 */
class LocalDirectoryArchiveTest extends ArchiveSegmentsContractTest {

    @TempDir
    Path temp;

    private Path root;

    @Override
    protected ArchiveSegmentsPort newArchive(MutableClock clock) {
        root = temp.resolve("archive");
        return new LocalDirectoryArchive(root, clock);
    }

    @Test
    void objects_and_manifests_are_read_only_and_no_temporary_file_is_left() throws IOException {
        byte[] content = bytes("segment bytes");
        Instant until = inOneDay();
        archive.put(key("acme/segment-0-9.ndjson.gz"), content, Sha256.hex(content), until);
        archive.setLegalHold(key("acme/segment-0-9.ndjson.gz"), true);

        Path object = root.resolve(key("acme/segment-0-9.ndjson.gz"));
        Path manifest = object.resolveSibling("segment-0-9.ndjson.gz.lock.json");
        Path hold = object.resolveSibling("segment-0-9.ndjson.gz.legal-hold.json");
        assertThat(Files.readAllBytes(object)).isEqualTo(content);
        for (Path p : List.of(object, manifest, hold)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                    .isEqualTo("r--r--r--");
        }
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()))
                    .containsExactlyInAnyOrder(key("acme/segment-0-9.ndjson.gz"),
                            key("acme/segment-0-9.ndjson.gz.lock.json"),
                            key("acme/segment-0-9.ndjson.gz.legal-hold.json"));
        }
    }

    @Test
    void the_manifest_records_checksum_size_lock_mode_and_retention() throws IOException {
        byte[] content = bytes("manifest me");
        Instant until = inOneDay();
        archive.put(key("m.gz"), content, Sha256.hex(content), until);

        Map<String, String> manifest = FlatJson.parse(
                Files.readString(root.resolve(key("m.gz.lock.json")), StandardCharsets.UTF_8));

        assertThat(manifest).containsEntry("key", key("m.gz"))
                .containsEntry("sha256", Sha256.hex(content))
                .containsEntry("size", String.valueOf(content.length))
                .containsEntry("lockMode", "COMPLIANCE")
                .containsEntry("retainUntil", until.toString())
                .containsKey("storedAt");
    }

    @Test
    void traversal_keys_never_touch_anything_outside_the_root() throws IOException {
        Path outside = temp.resolve("outside.txt");
        Files.writeString(outside, "precious");

        assertThatThrownBy(() -> archive.put("../outside.txt", bytes("x"), Sha256.hex(bytes("x")), inOneDay()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> archive.delete("../outside.txt")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> archive.put(outside.toString(), bytes("x"), Sha256.hex(bytes("x")), inOneDay()))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(Files.readString(outside)).isEqualTo("precious");
    }

    @Test
    void bytes_changed_on_disk_are_caught_when_the_object_is_read_to_the_end() throws IOException {
        byte[] content = bytes("original audit segment");
        archive.put(key("tampered"), content, Sha256.hex(content), inOneDay());
        Path object = root.resolve(key("tampered"));
        Files.setPosixFilePermissions(object, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(object, "0riginal audit segment");

        assertThat(archive.describe(key("tampered")).orElseThrow().sha256Hex())
                .as("describe reports the manifest's checksum, it does not re-hash")
                .isEqualTo(Sha256.hex(content));
        try (InputStream in = archive.open(key("tampered"))) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(ArchiveSegmentsPort.ArchiveContentMismatch.class)
                    .hasMessageContaining(key("tampered"))
                    .hasMessageContaining("does not match");
        }
    }

    @Test
    void an_object_whose_manifest_was_removed_confirms_nothing_and_is_not_deleted() throws IOException {
        byte[] content = bytes("orphan");
        archive.put(key("orphan"), content, Sha256.hex(content), inOneDay());
        Files.delete(root.resolve(key("orphan.lock.json")));
        clock.advance(Duration.ofDays(3));

        var described = archive.describe(key("orphan")).orElseThrow();
        assertThat(described.lock()).isEqualTo(Lock.NONE);
        assertThat(described.confirms(Sha256.hex(content), Instant.now())).isFalse();
        assertThatThrownBy(() -> archive.delete(key("orphan"))).isInstanceOf(ArchiveDeletionRefused.class)
                .hasMessageContaining("manifest");
        assertThat(Files.exists(root.resolve(key("orphan")))).isTrue();
    }

    @Test
    void a_manifest_left_behind_without_its_object_is_replaced_by_the_next_put() throws IOException {
        byte[] content = bytes("after crash");
        Files.createDirectories(root.resolve(key("crashed")).getParent());
        Path staleManifest = root.resolve(key("crashed.lock.json"));
        Files.writeString(staleManifest, "{\"key\":\"stale\",\"sha256\":\"" + "0".repeat(64) + "\"}");
        Files.writeString(root.resolve(key("crashed.legal-hold.json")), "{\"legalHold\":true}");

        var put = archive.put(key("crashed"), content, Sha256.hex(content), inOneDay());

        assertThat(put.sha256Hex()).isEqualTo(Sha256.hex(content));
        assertThat(put.legalHold()).isFalse();
        assertThat(Files.readString(staleManifest)).contains(Sha256.hex(content));
    }

    @Test
    void an_existing_file_under_the_key_is_never_overwritten() throws IOException {
        Path object = root.resolve(key("foreign"));
        Files.createDirectories(object.getParent());
        Files.writeString(object, "put there by someone else");

        assertThatThrownBy(() -> archive.put(key("foreign"), bytes("mine"), Sha256.hex(bytes("mine")), inOneDay()))
                .isInstanceOf(ArchiveObjectExists.class);
        assertThat(Files.readString(object)).isEqualTo("put there by someone else");
    }

    @Test
    void a_key_below_an_existing_object_is_refused_without_touching_the_object() throws IOException {
        archive.put(key("a"), bytes("object a"), Sha256.hex(bytes("object a")), inOneDay());

        assertThatThrownBy(() -> archive.put(key("a/b"), bytes("b"), Sha256.hex(bytes("b")), inOneDay()))
                .isInstanceOf(ArchiveSegmentsPort.ArchiveUnavailable.class);
        assertThat(readAll(key("a"))).isEqualTo(bytes("object a"));
        assertThat(archive.describe(key("a/b"))).isEmpty();
    }

    @Test
    void check_worm_capable_creates_a_missing_directory() {
        Path nested = temp.resolve("new/archive/dir");
        new LocalDirectoryArchive(nested).checkWormCapable();
        assertThat(nested).isDirectory();
        assertThat(nested.toFile().list()).as("the write probe is removed").isEmpty();
    }

    @Test
    void check_worm_capable_refuses_a_path_that_is_a_file() throws IOException {
        Path file = Files.writeString(temp.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> new LocalDirectoryArchive(file).checkWormCapable())
                .isInstanceOf(ArchiveNotWormCapable.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a directory");
    }

    @Test
    void check_worm_capable_refuses_a_directory_it_cannot_create() throws IOException {
        Path file = Files.writeString(temp.resolve("blocker"), "x");
        assertThatThrownBy(() -> new LocalDirectoryArchive(file.resolve("sub")).checkWormCapable())
                .isInstanceOf(ArchiveNotWormCapable.class)
                .hasMessageContaining("cannot be created");
    }
}
