package io.stenographer.bootstrap.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.adapters.archive.S3ArchiveSettings;
import io.stenographer.adapters.archive.S3ObjectLockArchive;
import io.stenographer.testing.S3MockProcess;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveUnavailable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Proves bootstrap's tests can use the S3Mock helper published by adapters-archive (its test-jar) and
 * find the S3Mock jar (the fetch-s3mock execution and surefire's stenographer.s3mock.jar): start it,
 * archive through the real adapter, kill it mid-run, see the archive report the store unavailable, and
 * bring it back with the data intact. A template for the archive fault tests. S3Mock does not enforce
 * Object Lock, so nothing here is evidence of enforcement.
 */
class S3MockFromBootstrapTest {

    @Test
    void start_archive_kill_and_restart_s3mock_from_bootstrap() throws Exception {
        try (S3MockProcess s3 = S3MockProcess.start()) {
            s3.createBucket("bootstrap-archive", true);
            S3ArchiveSettings settings = S3ArchiveSettings.aws("bootstrap-archive", S3MockProcess.REGION)
                    .withEndpoint(s3.endpoint(), true)
                    .withStaticCredentials(S3MockProcess.ACCESS_KEY_ID, S3MockProcess.SECRET_ACCESS_KEY);
            try (S3ObjectLockArchive archive = S3ObjectLockArchive.connect(settings)) {
                archive.checkWormCapable();
                byte[] content = "segment".getBytes(StandardCharsets.UTF_8);
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
                Instant until = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
                assertThat(archive.put("acme/segment-0-0", content, sha, until).confirms(sha, until)).isTrue();

                s3.kill();
                assertThat(s3.isRunning()).isFalse();
                assertThatThrownBy(() -> archive.describe("acme/segment-0-0")).isInstanceOf(ArchiveUnavailable.class);

                s3.restart();
                assertThat(archive.describe("acme/segment-0-0").orElseThrow().confirms(sha, until)).isTrue();
            }
        }
    }
}
