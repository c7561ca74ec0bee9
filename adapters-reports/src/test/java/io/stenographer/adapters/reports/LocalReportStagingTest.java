package io.stenographer.adapters.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.StageReportFilesPort.Staged;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scratch space: hashed as written, owner-only, any slice readable, gone when closed or after a restart. */
class LocalReportStagingTest {

    @TempDir
    Path root;

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private long files(Path directory) throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.count();
        }
    }

    @Test
    void aCopyIsHashedAsWrittenOwnerOnlyReadableInSlicesAndDeletedWhenClosed() throws Exception {
        LocalReportStaging staging = new LocalReportStaging(root);
        byte[] content = "actor,action\nalice,case.view\n".repeat(5_000).getBytes(StandardCharsets.UTF_8);

        try (Staged staged = staging.stage(out -> out.write(content))) {
            assertThat(staged.bytes()).isEqualTo(content.length);
            assertThat(staged.sha256().hex())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
            assertThat(read(staged.open())).isEqualTo(content);
            assertThat(new String(read(staged.open(13, 5)), StandardCharsets.UTF_8)).isEqualTo("alice");
            assertThat(read(staged.open(content.length, 0))).isEmpty();
            assertThatThrownBy(() -> staged.open(content.length - 1, 2)).isInstanceOf(IllegalArgumentException.class);
            try (Stream<Path> listing = Files.list(staging.directory())) {
                Path copy = listing.findFirst().orElseThrow();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staging.directory())))
                    .isEqualTo("rwx------");
        }
        assertThat(files(staging.directory())).isZero();
    }

    @Test
    void aFailedWriteLeavesNothingAndLeftoversOfAStoppedInstanceGoAtTheNextStart() throws Exception {
        LocalReportStaging staging = new LocalReportStaging(root);
        assertThatThrownBy(() -> staging.stage(out -> {
            out.write(new byte[1000]);
            throw new IOException("the generator failed");
        })).hasMessageContaining("generator failed");
        assertThat(files(staging.directory())).isZero();

        staging.stage(out -> out.write(new byte[] {1, 2, 3}));
        assertThat(files(staging.directory())).isOne();
        new LocalReportStaging(root);
        assertThat(files(staging.directory())).isZero();
    }
}
