package io.stenographer.bootstrap.archive;

import io.stenographer.adapters.archive.S3ArchiveSettings;
import io.stenographer.adapters.archive.S3ObjectLockArchive;
import io.stenographer.adapters.archive.ServerSideEncryption;
import java.net.URI;

/** Builds the S3 Object Lock archive from {@code stenographer.archive.s3.*}. */
final class S3ArchiveFactory {

    private S3ArchiveFactory() {
    }

    static S3ObjectLockArchive create(ArchiveSettings settings) {
        return S3ObjectLockArchive.connect(settings(settings));
    }

    /** The adapter's settings from the configuration; invalid values fail here, at start-up. */
    static S3ArchiveSettings settings(ArchiveSettings settings) {
        ArchiveSettings.S3 s3 = settings.s3();
        S3ArchiveSettings config = S3ArchiveSettings.aws(
                s3.bucket().orElseThrow(() -> new IllegalStateException(
                        "stenographer.archive.s3.bucket must name a bucket created with Object Lock enabled")),
                s3.region().orElseThrow(() -> new IllegalStateException(
                        "stenographer.archive.s3.region must name the bucket's region")))
                .withTimeouts(s3.connectTimeout(), s3.callTimeout(), s3.maxAttempts());
        if (s3.endpoint().isPresent()) {
            config = config.withEndpoint(URI.create(s3.endpoint().get()), s3.pathStyle());
        }
        if (s3.accessKeyId().isPresent() || s3.secretAccessKey().isPresent()) {
            config = config.withStaticCredentials(s3.accessKeyId().orElse(""), s3.secretAccessKey().orElse(""));
        }
        return config.withServerSideEncryption(ServerSideEncryption.parse(s3.serverSideEncryption(), s3.kmsKeyId()));
    }
}
