package io.stenographer.bootstrap.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stenographer.testing.S3MockProcess;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3Mock process (the exec jar from Maven Central) with an Object Lock bucket, for the archive.
 * S3Mock stores and reports retention and legal-hold settings but does NOT enforce them; AWS S3 does.
 * Tests here assert what the service sends and reads back, never that a lock stops a delete.
 */
public final class S3MockTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "stenographer-archive";
    private static volatile S3MockProcess process;

    @Override
    public Map<String, String> start() {
        process = S3MockProcess.start();
        process.createBucket(BUCKET, true);
        process.createBucket(BUCKET + "-no-lock", false);
        return Map.of(
                "stenographer.archive.s3.endpoint", process.endpoint().toString(),
                "stenographer.archive.s3.access-key-id", S3MockProcess.ACCESS_KEY_ID,
                "stenographer.archive.s3.secret-access-key", S3MockProcess.SECRET_ACCESS_KEY,
                "stenographer.archive.s3.region", S3MockProcess.REGION);
    }

    @Override
    public void stop() {
        if (process != null) {
            process.close();
        }
    }

    /** Kills the S3Mock process: the archive goes away mid-test. */
    public static void kill() {
        running().kill();
    }

    /**
     * Freezes S3Mock (SIGSTOP): it stops answering mid-conversation, as an S3 outage looks to a client.
     * Used for outages in the middle of a run: a SIGKILL there can catch S3Mock halfway through writing
     * its own metadata file, after which it cannot start again (S3Mock is not crash-safe; S3 is).
     */
    public static void pause() {
        running().pause();
    }

    public static void resume() {
        running().resume();
    }

    /** Starts S3Mock again on the same port and data directory. */
    public static void restart() {
        running().restart();
    }

    private static S3MockProcess running() {
        if (process == null) {
            throw new IllegalStateException("S3Mock was not started by this test resource");
        }
        return process;
    }

    /** A client on the running S3Mock, for asserting what the bucket holds. */
    public static S3Client client() {
        URI endpoint = URI.create(ConfigProvider.getConfig().getValue("stenographer.archive.s3.endpoint", String.class));
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(S3MockProcess.REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3MockProcess.ACCESS_KEY_ID, S3MockProcess.SECRET_ACCESS_KEY)))
                .build();
    }
}
