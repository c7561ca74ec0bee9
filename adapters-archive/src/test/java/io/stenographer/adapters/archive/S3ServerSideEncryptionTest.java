package io.stenographer.adapters.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveUnavailable;
import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.ArchiveSegmentsPort.StoredObject;
import io.stenographer.testing.S3MockProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Server-side encryption of archive uploads, against a real S3Mock 4.11.0 process.
 *
 * <p><strong>What S3Mock shows and what it does not.</strong> S3Mock stores the {@code x-amz-server-side-encryption}
 * and {@code x-amz-server-side-encryption-aws-kms-key-id} headers of a PutObject and returns them unchanged on
 * HeadObject and GetObject; it rejects a KMS key id it was not told about (400 {@code KMS.NotFoundException}; the
 * surefire configuration registers {@value #KMS_KEY_ARN} through the environment S3Mock inherits). It does
 * <em>not</em> encrypt anything (the bytes lie in plain text in its data directory, pinned down below), it accepts
 * any algorithm string, and it reports no encryption for an object uploaded without the header, where AWS S3 has
 * applied SSE-S3 to every new object since January 2023. So these tests prove what is sent on the wire and that the
 * adapter checks what the store reports; they prove nothing about encryption at rest.
 *
 * <p>Misbehaving stores (one that ignores the header, one that applies another algorithm or key) are
 * <strong>simulated</strong>: an {@link ExecutionInterceptor} rewrites the SSE headers of S3Mock's real HeadObject
 * answers before the adapter reads them. The object itself was uploaded to S3Mock with the right headers.
 */
class S3ServerSideEncryptionTest {

    private static final String BUCKET = "archive-sse";
    static final String KMS_KEY_ID = "stenographer-test-key";
    static final String KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/" + KMS_KEY_ID;

    private static S3MockProcess s3mock;
    private static S3Client plainClient;

    private final S3ObjectLockArchiveTest.Recorder recorder = new S3ObjectLockArchiveTest.Recorder();
    private final List<S3ObjectLockArchive> opened = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private String prefix;

    @BeforeAll
    static void startS3Mock() {
        s3mock = S3MockProcess.start();
        s3mock.createBucket(BUCKET, true);
        plainClient = S3ObjectLockArchive.buildClient(settings(), List.of());
    }

    @AfterAll
    static void stopS3Mock() {
        if (plainClient != null) {
            plainClient.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    @BeforeEach
    void uniquePrefix() {
        prefix = "sse-" + UUID.randomUUID();
    }

    @AfterEach
    void closeArchives() {
        opened.forEach(S3ObjectLockArchive::close);
    }

    private static S3ArchiveSettings settings() {
        return S3ArchiveSettings.aws(BUCKET, S3MockProcess.REGION)
                .withEndpoint(s3mock.endpoint(), true)
                .withStaticCredentials(S3MockProcess.ACCESS_KEY_ID, S3MockProcess.SECRET_ACCESS_KEY);
    }

    /** An archive whose client records every request and passes S3Mock's answers through {@code store}. */
    private S3ObjectLockArchive archive(ServerSideEncryption encryption,
            ExecutionInterceptor... store) {
        List<ExecutionInterceptor> interceptors = new ArrayList<>(List.of(store));
        interceptors.add(recorder);
        S3ObjectLockArchive archive = new S3ObjectLockArchive(S3ObjectLockArchive.buildClient(settings(), interceptors),
                BUCKET, encryption, clock, true);
        opened.add(archive);
        return archive;
    }

    private String key(String name) {
        return prefix + "/" + name;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Instant inOneDay() {
        return clock.instant().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }

    private StoredObject put(S3ObjectLockArchive archive, String name, String text) {
        byte[] content = bytes(text);
        return archive.put(key(name), content, Sha256.hex(content), inOneDay());
    }

    private HeadObjectResponse storeReports(String name) {
        return plainClient.headObject(b -> b.bucket(BUCKET).key(key(name)));
    }

    @Test
    void sse_s3_is_the_default_sent_on_the_wire_and_read_back_from_s3mock() {
        S3ObjectLockArchive archive = archive(S3ArchiveSettings.aws(BUCKET, S3MockProcess.REGION).serverSideEncryption());

        StoredObject stored = put(archive, "s3", "sse-s3 segment");

        S3ObjectLockArchiveTest.Recorder.Call sent = recorder.single("PutObject");
        assertThat(sent.header("x-amz-server-side-encryption")).isEqualTo("AES256");
        assertThat(sent.header("x-amz-server-side-encryption-aws-kms-key-id")).isNull();
        HeadObjectResponse head = storeReports("s3");
        assertThat(head.serverSideEncryptionAsString()).isEqualTo("AES256");
        assertThat(head.ssekmsKeyId()).isNull();
        assertThat(stored.lock()).isEqualTo(Lock.WRITE_ONCE);
        assertThat(archive.describe(key("s3"))).contains(stored);
    }

    @Test
    void sse_kms_with_a_key_id_is_sent_and_s3mock_reports_the_same_key_back() {
        S3ObjectLockArchive archive = archive(ServerSideEncryption.kms(KMS_KEY_ID));
        Instant until = inOneDay(); // once: computed again later it can fall in the next second
        byte[] content = bytes("sse-kms segment");

        StoredObject stored = archive.put(key("kms"), content, Sha256.hex(content), until);

        S3ObjectLockArchiveTest.Recorder.Call sent = recorder.single("PutObject");
        assertThat(sent.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
        assertThat(sent.header("x-amz-server-side-encryption-aws-kms-key-id")).isEqualTo(KMS_KEY_ID);
        HeadObjectResponse head = storeReports("kms");
        assertThat(head.serverSideEncryptionAsString()).isEqualTo("aws:kms");
        assertThat(head.ssekmsKeyId()).isEqualTo(KMS_KEY_ID);
        var get = plainClient.getObject(b -> b.bucket(BUCKET).key(key("kms")));
        try (get) {
            assertThat(get.response().serverSideEncryptionAsString()).isEqualTo("aws:kms");
            assertThat(get.response().ssekmsKeyId()).isEqualTo(KMS_KEY_ID);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(stored.confirms(Sha256.hex(content), until)).isTrue();
    }

    @Test
    void sse_kms_without_a_key_id_sends_only_the_algorithm() {
        S3ObjectLockArchive archive = archive(new ServerSideEncryption.SseKms(
                Optional.empty()));

        put(archive, "kms-default", "aws/s3 key");

        S3ObjectLockArchiveTest.Recorder.Call sent = recorder.single("PutObject");
        assertThat(sent.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
        assertThat(sent.header("x-amz-server-side-encryption-aws-kms-key-id")).isNull();
        assertThat(storeReports("kms-default").serverSideEncryptionAsString()).isEqualTo("aws:kms");
    }

    /** Report files take the streamed path; it builds the same PutObject. */
    @Test
    void a_streamed_upload_requests_the_same_encryption() {
        S3ObjectLockArchive archive = archive(ServerSideEncryption.kms(KMS_KEY_ID));
        byte[] content = bytes("report file body");

        archive.put(key("reports/r.json"), () -> new ByteArrayInputStream(content), content.length,
                Sha256.hex(content), inOneDay());

        S3ObjectLockArchiveTest.Recorder.Call sent = recorder.single("PutObject");
        assertThat(sent.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
        assertThat(sent.header("x-amz-server-side-encryption-aws-kms-key-id")).isEqualTo(KMS_KEY_ID);
        assertThat(storeReports("reports/r.json").ssekmsKeyId()).isEqualTo(KMS_KEY_ID);
    }

    @Test
    void a_kms_key_the_store_does_not_know_fails_the_upload_with_a_hint_and_nothing_is_stored() {
        S3ObjectLockArchive archive = archive(ServerSideEncryption.kms("no-such-key"));
        byte[] content = bytes("unknown key");

        assertThatThrownBy(() -> archive.put(key("unknown-key"), content, Sha256.hex(content), inOneDay()))
                .isInstanceOf(ArchiveUnavailable.class)
                .hasMessageContaining("PutObject")
                .hasMessageContaining("HTTP 400 KMS.NotFoundException")
                .hasMessageContaining("stenographer.archive.s3.kms-key-id");
        assertThat(archive.describe(key("unknown-key"))).isEmpty();
    }

    /** Simulation of a misbehaving store: S3Mock's HeadObject answers lose their SSE headers, as if it ignored them. */
    @Test
    void a_store_that_reports_no_encryption_fails_the_upload_and_a_retry_cannot_adopt_the_object() {
        S3ObjectLockArchive ignoring = archive(new ServerSideEncryption.SseS3(),
                new ReportedEncryption(null, null));
        byte[] content = bytes("silently unencrypted");

        assertThatThrownBy(() -> ignoring.put(key("ignored"), content, Sha256.hex(content), inOneDay()))
                .isInstanceOf(ArchiveUnavailable.class)
                .hasMessageContaining("s3://" + BUCKET + "/" + key("ignored"))
                .hasMessageContaining("SSE-S3 (AES256) was requested")
                .hasMessageContaining("the store reports no server-side encryption")
                .hasMessageContaining("not accepted as archived");
        assertThat(recorder.operations()).containsSubsequence("PutObject", "PutObjectRetention", "HeadObject");
        // The archive job's next run describes the key before it would adopt what an earlier run left.
        assertThatThrownBy(() -> ignoring.describe(key("ignored")))
                .isInstanceOf(ArchiveUnavailable.class)
                .hasMessageContaining("not encrypted at rest");
        // Holds still work on such an object: a legal hold must never be blocked.
        assertThat(ignoring.setLegalHold(key("ignored"), true).legalHold()).isTrue();
    }

    /** Simulation: the store applies SSE-S3 although SSE-KMS was asked for (e.g. a proxy that rewrites headers). */
    @Test
    void a_store_that_reports_another_algorithm_fails_the_upload_naming_both() {
        S3ObjectLockArchive archive = archive(ServerSideEncryption.kms(KMS_KEY_ID),
                new ReportedEncryption("AES256", null));
        byte[] content = bytes("wrong algorithm");

        assertThatThrownBy(() -> archive.put(key("other-alg"), content, Sha256.hex(content), inOneDay()))
                .isInstanceOf(ArchiveUnavailable.class)
                .hasMessageContaining(key("other-alg"))
                .hasMessageContaining("SSE-KMS (aws:kms, key " + KMS_KEY_ID + ") was requested")
                .hasMessageContaining("the store reports x-amz-server-side-encryption: AES256");
    }

    /** Simulation: the store encrypts with another KMS key (e.g. a bucket default that wins). */
    @Test
    void a_store_that_reports_another_kms_key_fails_the_upload_naming_both_keys() {
        String other = "arn:aws:kms:us-east-1:123456789012:key/someone-elses-key";
        S3ObjectLockArchive archive = archive(ServerSideEncryption.kms(KMS_KEY_ID),
                new ReportedEncryption("aws:kms", other));
        byte[] content = bytes("wrong key");

        assertThatThrownBy(() -> archive.put(key("other-key"), content, Sha256.hex(content), inOneDay()))
                .isInstanceOf(ArchiveUnavailable.class)
                .hasMessageContaining("key " + KMS_KEY_ID + ") was requested")
                .hasMessageContaining("aws:kms, key " + other);
    }

    /** Simulation of what AWS does: a bare key id is sent, the key ARN comes back; that is the same key. */
    @Test
    void the_key_arn_reported_for_a_bare_key_id_is_accepted() {
        S3ObjectLockArchive archive = archive(ServerSideEncryption.kms(KMS_KEY_ID),
                new ReportedEncryption("aws:kms", KMS_KEY_ARN));

        StoredObject stored = put(archive, "arn", "reported as arn");

        assertThat(stored.lock()).isEqualTo(Lock.WRITE_ONCE);
    }

    /** Real S3Mock behaviour (no simulation): an object put without the header is reported unencrypted. */
    @Test
    void describe_refuses_an_object_the_store_reports_as_unencrypted() {
        byte[] content = bytes("put by something else, without SSE");
        plainClient.putObject(b -> b.bucket(BUCKET).key(key("foreign")), RequestBody.fromBytes(content));
        S3ObjectLockArchive archive = archive(new ServerSideEncryption.SseS3());

        assertThatThrownBy(() -> archive.describe(key("foreign")))
                .isInstanceOf(ArchiveUnavailable.class)
                .hasMessageContaining("s3://" + BUCKET + "/" + key("foreign"))
                .hasMessageContaining("no server-side encryption")
                .hasMessageContaining("configured: SSE-S3 (AES256)");
    }

    /** An object written under SSE-S3 stays readable after a switch to SSE-KMS (only "unencrypted" is refused). */
    @Test
    void objects_from_an_earlier_encryption_setting_stay_describable() {
        put(archive(new ServerSideEncryption.SseS3()), "before", "written as SSE-S3");

        S3ObjectLockArchive kms = archive(ServerSideEncryption.kms(KMS_KEY_ID));

        assertThat(kms.describe(key("before"))).hasValueSatisfying(o -> assertThat(o.lock()).isEqualTo(Lock.WRITE_ONCE));
    }

    @Test
    void the_explicit_unencrypted_setting_sends_no_header_and_checks_nothing() {
        S3ObjectLockArchive archive = archive(new ServerSideEncryption.Unencrypted());

        StoredObject stored = put(archive, "plain", "no sse");

        assertThat(recorder.single("PutObject").header("x-amz-server-side-encryption")).isNull();
        assertThat(storeReports("plain").serverSideEncryptionAsString()).isNull();
        assertThat(archive.describe(key("plain"))).contains(stored);
    }

    /**
     * Pins down that S3Mock only echoes the header: the uploaded bytes lie in plain text in its data directory. A
     * future S3Mock that encrypts makes this fail, and docs/ARCHIVE.md gets updated.
     */
    @Test
    void s3mock_does_not_encrypt_the_bytes_it_stores() throws IOException {
        String text = "plain text despite SSE " + prefix;
        put(archive(ServerSideEncryption.kms(KMS_KEY_ID)), "at-rest", text);
        byte[] content = bytes(text);

        try (Stream<Path> files = Files.walk(s3mock.dataDirectory())) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Arrays.equals(Files.readAllBytes(p), content);
                } catch (IOException e) {
                    return false;
                }
            })).as("a file holding the uploaded bytes unchanged").hasSize(1);
        }
    }

    @Test
    void the_kms_key_registered_for_s3mock_comes_from_the_surefire_configuration() {
        // Outside Maven (an IDE run without the variable) the KMS tests fail with KMS.NotFoundException; this says why.
        assertThat(System.getenv("COM_ADOBE_TESTING_S3MOCK_STORE_VALID_KMS_KEYS"))
                .as("adapters-archive/pom.xml surefire environmentVariables").isEqualTo(KMS_KEY_ARN);
    }

    /**
     * Rewrites the SSE headers of HeadObject answers to what a misbehaving store would report ({@code null}: the
     * header is absent). A simulation: S3Mock itself stored and reported what was sent.
     */
    private record ReportedEncryption(String algorithm, String kmsKeyId) implements ExecutionInterceptor {
        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (!"HeadObject".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                return context.httpResponse();
            }
            SdkHttpResponse.Builder response = context.httpResponse().toBuilder()
                    .removeHeader("x-amz-server-side-encryption")
                    .removeHeader("x-amz-server-side-encryption-aws-kms-key-id");
            if (algorithm != null) {
                response.putHeader("x-amz-server-side-encryption", algorithm);
            }
            if (kmsKeyId != null) {
                response.putHeader("x-amz-server-side-encryption-aws-kms-key-id", kmsKeyId);
            }
            return response.build();
        }
    }
}
