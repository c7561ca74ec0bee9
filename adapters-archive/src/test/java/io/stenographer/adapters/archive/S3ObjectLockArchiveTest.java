package io.stenographer.adapters.archive;

import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveChecksumMismatch;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveNotWormCapable;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveUnavailable;
import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.ArchiveSegmentsPort.StoredObject;
import io.stenographer.testing.S3MockProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRetentionRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 Object Lock adapter against a real S3Mock 4.11.0 process ({@link S3MockProcess}).
 *
 * <p><strong>What these tests can and cannot show.</strong> S3Mock stores the retention and legal hold
 * set with PutObjectRetention / PutObjectLegalHold and reports them back, and it verifies
 * {@code x-amz-checksum-sha256}. It does <em>not</em> enforce Object Lock: a locked object can be deleted
 * there, and the lock headers on PutObject are ignored (both are pinned down below, so a future S3Mock
 * that changes this makes a test fail and the docs get updated). So these tests prove what the adapter
 * sends (recorded from the wire), what it reads back, and that the adapter's own checks refuse deletion;
 * they do not prove that a store enforces a lock. AWS S3 enforces COMPLIANCE-mode locks itself: there,
 * a delete of a locked version is refused by S3 even if this adapter's check were skipped.
 */
class S3ObjectLockArchiveTest extends ArchiveSegmentsContractTest {

    private static final String LOCKED_BUCKET = "archive-locked";
    private static final String PLAIN_BUCKET = "archive-plain";

    private static S3MockProcess s3mock;
    private static S3Client client;
    private static final Recorder recorder = new Recorder();

    @BeforeAll
    static void startS3Mock() {
        s3mock = S3MockProcess.start();
        s3mock.createBucket(LOCKED_BUCKET, true);
        s3mock.createBucket(PLAIN_BUCKET, false);
        client = S3ObjectLockArchive.buildClient(settings(LOCKED_BUCKET), List.of(recorder));
    }

    @AfterAll
    static void stopS3Mock() {
        if (client != null) {
            client.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    @BeforeEach
    void clearRecorder() {
        recorder.calls.clear();
    }

    private static S3ArchiveSettings settings(String bucket) {
        return S3ArchiveSettings.aws(bucket, S3MockProcess.REGION)
                .withEndpoint(s3mock.endpoint(), true)
                .withStaticCredentials(S3MockProcess.ACCESS_KEY_ID, S3MockProcess.SECRET_ACCESS_KEY);
    }

    @Override
    protected ArchiveSegmentsPort newArchive(MutableClock clock) {
        return new S3ObjectLockArchive(client, LOCKED_BUCKET, clock, false);
    }

    private S3ObjectLockArchive s3Archive() {
        return (S3ObjectLockArchive) archive;
    }

    @Test
    void the_upload_carries_lock_mode_retention_date_checksum_and_no_overwrite_condition() {
        byte[] content = bytes("{\"index\":0}\n");
        String sha = Sha256.hex(content);
        Instant until = inOneDay();

        StoredObject stored = archive.put(key("wire.ndjson"), content, sha, until);

        Recorder.Call put = recorder.single("PutObject");
        assertThat(put.header("x-amz-object-lock-mode")).isEqualTo("COMPLIANCE");
        assertThat(Instant.parse(put.header("x-amz-object-lock-retain-until-date"))).isEqualTo(until);
        assertThat(put.header("x-amz-checksum-sha256")).isEqualTo(Sha256.hexToBase64(sha));
        assertThat(put.header("x-amz-sdk-checksum-algorithm")).isEqualTo("SHA256");
        assertThat(put.header("x-amz-meta-sha256")).isEqualTo(sha);
        assertThat(put.header("If-None-Match")).isEqualTo("*");
        assertThat(put.header("x-amz-server-side-encryption")).isEqualTo("AES256");
        PutObjectRetentionRequest retention = (PutObjectRetentionRequest) recorder.single("PutObjectRetention").request;
        assertThat(retention.retention().mode()).isEqualTo(ObjectLockRetentionMode.COMPLIANCE);
        assertThat(retention.retention().retainUntilDate()).isEqualTo(until);
        assertThat(recorder.operations()).containsExactly("HeadObject", "PutObject", "PutObjectRetention",
                "HeadObject", "GetObjectRetention", "GetObjectLegalHold");

        assertThat(stored.lock()).isEqualTo(Lock.WRITE_ONCE);
        assertThat(stored.retainUntil()).isEqualTo(until);
        assertThat(stored.sha256Hex()).isEqualTo(sha);
        assertThat(stored.confirms(sha, until)).isTrue();
    }

    /**
     * Report files are streamed from a scratch copy instead of sent from memory: the same lock and checksum headers, the
     * length declared up front, and the store (not this process) checks the content against the SHA-256. S3Mock keeps
     * the retention PutObjectRetention sets but does not enforce it; AWS S3 would.
     */
    @Test
    void a_streamed_upload_carries_the_same_lock_checksum_and_no_overwrite_condition() {
        byte[] content = new byte[2 * 1024 * 1024 + 3];
        new java.util.Random(23).nextBytes(content);
        String sha = Sha256.hex(content);
        Instant until = inOneDay();

        StoredObject stored = archive.put(key("reports/stream.zip"), () -> new java.io.ByteArrayInputStream(content),
                content.length, sha, until);

        Recorder.Call put = recorder.single("PutObject");
        assertThat(put.header("x-amz-object-lock-mode")).isEqualTo("COMPLIANCE");
        assertThat(Instant.parse(put.header("x-amz-object-lock-retain-until-date"))).isEqualTo(until);
        assertThat(put.header("x-amz-checksum-sha256")).isEqualTo(Sha256.hexToBase64(sha));
        assertThat(put.header("If-None-Match")).isEqualTo("*");
        // Over plain HTTP the SDK streams a body it cannot sign up front as aws-chunked, declaring the real length.
        String declared = put.header("x-amz-decoded-content-length") != null
                ? put.header("x-amz-decoded-content-length") : put.header("Content-Length");
        assertThat(declared).isEqualTo(String.valueOf(content.length));
        assertThat(stored.confirms(sha, until)).isTrue();
        assertThat(stored.size()).isEqualTo(content.length);
    }

    @Test
    void the_checksum_read_back_is_the_one_s3mock_computed_and_returned_in_x_amz_checksum_sha256() {
        byte[] content = bytes("checksum source");
        archive.put(key("sum"), content, Sha256.hex(content), inOneDay());

        var head = client.headObject(b -> b.bucket(LOCKED_BUCKET).key(key("sum")).checksumMode(ChecksumMode.ENABLED));

        assertThat(head.checksumSHA256()).isEqualTo(Sha256.hexToBase64(Sha256.hex(content)));
        assertThat(head.metadata()).containsEntry("sha256", Sha256.hex(content));
    }

    @Test
    void without_a_store_checksum_describe_falls_back_to_the_sha256_metadata() {
        byte[] content = bytes("uploaded by something else");
        String sha = Sha256.hex(content);
        // With SSE: describe refuses objects the store reports as unencrypted (S3ServerSideEncryptionTest).
        client.putObject(b -> b.bucket(LOCKED_BUCKET).key(key("meta-only")).metadata(Map.of("sha256", sha))
                .serverSideEncryption("AES256"), RequestBody.fromBytes(content));

        StoredObject described = archive.describe(key("meta-only")).orElseThrow();

        assertThat(client.headObject(b -> b.bucket(LOCKED_BUCKET).key(key("meta-only"))
                .checksumMode(ChecksumMode.ENABLED)).checksumSHA256()).isNull();
        assertThat(described.sha256Hex()).isEqualTo(sha);
        assertThat(described.lock()).as("no retention was ever set on it").isEqualTo(Lock.NONE);
        assertThat(described.confirms(sha, Instant.now())).isFalse();
    }

    @Test
    void without_a_store_checksum_open_checks_the_bytes_against_the_sha256_metadata() throws IOException {
        byte[] content = bytes("bytes that do not match their metadata");
        client.putObject(b -> b.bucket(LOCKED_BUCKET).key(key("meta-wrong"))
                .metadata(Map.of("sha256", Sha256.hex(bytes("other")))), RequestBody.fromBytes(content));

        try (InputStream in = archive.open(key("meta-wrong"))) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining(key("meta-wrong"))
                    .hasMessageContaining("does not match");
        }
    }

    @Test
    void the_store_itself_refuses_content_that_does_not_match_x_amz_checksum_sha256() {
        byte[] content = bytes("what is sent");
        String wrong = Sha256.hex(bytes("what was hashed"));

        // upload() skips put()'s local check, so the wrong checksum reaches S3Mock.
        assertThatThrownBy(() -> s3Archive().upload(key("store-sum"), content, wrong, inOneDay()))
                .isInstanceOf(ArchiveChecksumMismatch.class)
                .hasMessageContaining("store refused");
        assertThat(recorder.operations()).contains("PutObject");
        assertThat(archive.describe(key("store-sum"))).isEmpty();
    }

    @Test
    void a_wrong_checksum_never_leaves_the_process() {
        byte[] content = bytes("local check");
        assertThatThrownBy(() -> archive.put(key("local-sum"), content, Sha256.hex(bytes("other")), inOneDay()))
                .isInstanceOf(ArchiveChecksumMismatch.class)
                .hasMessageContaining("nothing was uploaded");
        assertThat(recorder.operations()).isEmpty();
    }

    @Test
    void bytes_changed_inside_the_store_are_caught_when_the_object_is_read_to_the_end() throws Exception {
        byte[] content = bytes("original bytes in the store, unique " + key("tamper"));
        archive.put(key("tamper"), content, Sha256.hex(content), inOneDay());
        Path stored;
        try (Stream<Path> files = Files.walk(s3mock.dataDirectory())) {
            stored = files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Arrays.equals(Files.readAllBytes(p), content);
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
        }
        byte[] altered = content.clone();
        altered[0] = (byte) (altered[0] ^ 1);
        Files.write(stored, altered);

        try (InputStream in = archive.open(key("tamper"))) {
            // Caught by the SDK's own check of the body against x-amz-checksum-sha256 (translated into an
            // IOException, no AWS type leaks) or, without a store checksum, by the adapter's verifying stream.
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining(key("tamper"))
                    .hasMessageContaining("checksum");
        }
    }

    @Test
    void a_bucket_without_object_lock_is_refused_with_an_operator_message() {
        try (S3ObjectLockArchive plain = S3ObjectLockArchive.connect(settings(PLAIN_BUCKET))) {
            assertThatThrownBy(plain::checkWormCapable)
                    .isInstanceOf(ArchiveNotWormCapable.class)
                    .hasMessageContaining("'" + PLAIN_BUCKET + "'")
                    .hasMessageContaining("does not have Object Lock enabled")
                    .hasMessageContaining("--object-lock-enabled-for-bucket");
        }
    }

    @Test
    void uploading_into_a_bucket_without_object_lock_is_refused() {
        try (S3ObjectLockArchive plain = S3ObjectLockArchive.connect(settings(PLAIN_BUCKET))) {
            byte[] content = bytes("unlockable");
            assertThatThrownBy(() -> plain.put(key("x"), content, Sha256.hex(content), inOneDay()))
                    .isInstanceOf(ArchiveNotWormCapable.class)
                    .hasMessageContaining(PLAIN_BUCKET);
        }
    }

    @Test
    void a_missing_bucket_is_refused_with_an_operator_message() {
        try (S3ObjectLockArchive missing = S3ObjectLockArchive.connect(settings("no-such-bucket"))) {
            assertThatThrownBy(missing::checkWormCapable)
                    .isInstanceOf(ArchiveNotWormCapable.class)
                    .hasMessageContaining("'no-such-bucket' does not exist")
                    .hasMessageContaining("--object-lock-enabled-for-bucket");
        }
    }

    @Test
    void a_bucket_with_object_lock_passes_the_check() {
        try (S3ObjectLockArchive locked = S3ObjectLockArchive.connect(settings(LOCKED_BUCKET))) {
            locked.checkWormCapable();
        }
        assertThat(recorder.operations()).isEmpty(); // its own client, not the recording one
    }

    /**
     * Pins down S3Mock's behaviour the adapter works around: the lock headers on PutObject are ignored,
     * only PutObjectRetention sets a retention there. (AWS S3 applies the headers atomically.)
     */
    @Test
    void s3mock_ignores_the_lock_headers_on_put_object_which_is_why_the_adapter_also_sets_retention() {
        byte[] content = bytes("headers only");
        client.putObject(b -> b.bucket(LOCKED_BUCKET).key(key("headers-only")).serverSideEncryption("AES256")
                        .objectLockMode(ObjectLockMode.COMPLIANCE).objectLockRetainUntilDate(inOneDay()),
                RequestBody.fromBytes(content));

        StoredObject described = archive.describe(key("headers-only")).orElseThrow();

        assertThat(described.lock()).isEqualTo(Lock.NONE);
        assertThat(described.retainUntil()).isNull();
    }

    /**
     * Pins down that S3Mock does not enforce Object Lock: a COMPLIANCE retention can be shortened, and a
     * delete that bypasses the adapter's check removes a locked object. On AWS S3 both are refused (the
     * delete of the version with 403). Never read an S3Mock test as proof of enforcement.
     */
    @Test
    void s3mock_does_not_enforce_the_lock_only_the_adapters_check_refuses() {
        byte[] content = bytes("locked but deletable on s3mock");
        StoredObject stored = archive.put(key("unenforced"), content, Sha256.hex(content), inOneDay());
        assertThat(stored.lock()).isEqualTo(Lock.WRITE_ONCE);

        assertThatThrownBy(() -> archive.delete(key("unenforced")))
                .isInstanceOf(ArchiveSegmentsPort.ArchiveDeletionRefused.class);
        // AWS S3 refuses to shorten a COMPLIANCE retention; S3Mock accepts it.
        Instant shorter = stored.retainUntil().minusSeconds(3600);
        client.putObjectRetention(b -> b.bucket(LOCKED_BUCKET).key(key("unenforced"))
                .retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(shorter)));
        assertThat(archive.describe(key("unenforced")).orElseThrow().retainUntil()).isEqualTo(shorter);
        client.deleteObject(b -> b.bucket(LOCKED_BUCKET).key(key("unenforced")));

        assertThat(archive.describe(key("unenforced"))).isEmpty();
    }

    @Test
    void a_killed_store_is_unavailable_fast_and_usable_again_after_restart() {
        byte[] content = bytes("survives a restart");
        archive.put(key("durable"), content, Sha256.hex(content), inOneDay());
        s3mock.kill();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> archive.describe(key("durable")))
                    .isInstanceOf(ArchiveUnavailable.class)
                    .hasMessageContaining("HeadObject")
                    .hasMessageContaining(LOCKED_BUCKET)
                    .hasMessageContaining("could not be reached")
                    .hasMessageNotContaining(S3MockProcess.SECRET_ACCESS_KEY);
            assertThatThrownBy(archive::checkWormCapable).isInstanceOf(ArchiveUnavailable.class);
            assertThatThrownBy(() -> archive.put(key("while-down"), content, Sha256.hex(content), inOneDay()))
                    .isInstanceOf(ArchiveUnavailable.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        } finally {
            s3mock.restart();
        }
        StoredObject after = archive.describe(key("durable")).orElseThrow();
        assertThat(after.sha256Hex()).isEqualTo(Sha256.hex(content));
        assertThat(after.lock()).isEqualTo(Lock.WRITE_ONCE);
    }

    @Test
    void a_store_that_stops_answering_times_out_instead_of_hanging() {
        S3ArchiveSettings impatient = settings(LOCKED_BUCKET)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), 1);
        try (S3ObjectLockArchive quick = S3ObjectLockArchive.connect(impatient)) {
            s3mock.pause();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> quick.describe(key("frozen")))
                        .isInstanceOf(ArchiveUnavailable.class)
                        .hasMessageContaining("did not answer in time");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            } finally {
                s3mock.resume();
            }
            assertThat(quick.describe(key("frozen"))).isEmpty();
        }
    }

    @Test
    void settings_never_print_the_secret() {
        assertThat(settings(LOCKED_BUCKET).toString()).doesNotContain(S3MockProcess.SECRET_ACCESS_KEY)
                .doesNotContain(S3MockProcess.ACCESS_KEY_ID).contains(LOCKED_BUCKET);
    }

    @Test
    void retain_until_is_rounded_up_to_the_second() {
        Instant whole = Instant.parse("2030-01-01T00:00:00Z");
        assertThat(S3ObjectLockArchive.roundUpToSecond(whole)).isEqualTo(whole);
        assertThat(S3ObjectLockArchive.roundUpToSecond(whole.plusNanos(1))).isEqualTo(whole.plusSeconds(1));
    }

    /** Records every request the SDK transmits: operation, modelled request and HTTP headers. */
    static final class Recorder implements ExecutionInterceptor {

        record Call(String operation, SdkRequest request, Map<String, List<String>> headers) {
            String header(String name) {
                return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(e -> String.join(",", e.getValue())).findFirst().orElse(null);
            }
        }

        final List<Call> calls = new CopyOnWriteArrayList<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            calls.add(new Call(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.request(),
                    context.httpRequest().headers()));
        }

        List<String> operations() {
            return calls.stream().map(Call::operation).toList();
        }

        Call single(String operation) {
            List<Call> matching = calls.stream().filter(c -> c.operation.equals(operation)).toList();
            assertThat(matching).as("calls of " + operation).hasSize(1);
            return matching.get(0);
        }
    }
}
