package io.stenographer.bootstrap.archive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code stenographer.archive.*}: where segments go and how the jobs pace themselves. */
@ConfigMapping(prefix = "stenographer.archive")
public interface ArchiveSettings {

    /** {@code local} (a write-once directory; the embedded default) or {@code s3} (S3 Object Lock). */
    @WithDefault("local")
    String store();

    String localDir();

    /** When the archive job runs (Quarkus cron; {@code off} disables it). Read by the job trigger. */
    @WithDefault("0 15 * * * ?")
    String cron();

    @WithDefault("10000")
    int maxEventsPerSegment();

    /**
     * A segment is also cut once its events' canonical bytes reach this, so the memory a run needs is bounded by
     * bytes, whatever size events writers send (at least one event per segment).
     */
    @WithDefault("33554432")
    long maxSegmentBytes();

    /** Per tenant and run, so one run's work (and a manual run's HTTP request) stays bounded. */
    @WithDefault("100")
    int maxSegmentsPerRun();

    /** The shortest lock a copy gets when its retention has already ended by the time it is archived. */
    @WithDefault("PT24H")
    Duration minimumLock();

    @WithDefault("500")
    int purgeBatchSize();

    /** Refuse to start when the store cannot keep objects immutable. */
    @WithDefault("true")
    boolean requireWorm();

    S3 s3();

    interface S3 {
        Optional<String> bucket();

        Optional<String> region();

        /** For S3-compatible endpoints such as S3Mock; empty means AWS. */
        Optional<String> endpoint();

        @WithDefault("false")
        boolean pathStyle();

        /** Static credentials, for S3Mock only; AWS deployments use the default credential chain. */
        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();

        @WithDefault("PT2S")
        Duration connectTimeout();

        @WithDefault("PT10S")
        Duration callTimeout();

        @WithDefault("3")
        int maxAttempts();

        /**
         * What every upload requests and must be reported back: {@code aes256} (SSE-S3, the default) or
         * {@code aws:kms} (SSE-KMS). {@code none-unencrypted-at-rest} turns it off, only with an {@code endpoint}
         * override, for S3-compatible stores that refuse the header (docs/ARCHIVE.md).
         */
        @WithDefault("aes256")
        String serverSideEncryption();

        /** The KMS key id or key ARN (not an alias) for {@code aws:kms}; unset: the account's {@code aws/s3} key. */
        Optional<String> kmsKeyId();
    }
}
