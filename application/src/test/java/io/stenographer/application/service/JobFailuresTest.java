package io.stenographer.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a job run and the tenant's log keep of a failure: Stenographer's own words, never a foreign message. */
class JobFailuresTest {

    /** As an SDK or a driver throws it: its own frames, and a message that names the infrastructure. */
    private static RuntimeException foreign(String message) {
        RuntimeException thrown = new RuntimeException(message);
        thrown.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("software.amazon.awssdk.services.s3.DefaultS3Client", "putObject", null, 1)});
        return thrown;
    }

    @Test
    void aRefusalOfStenographersOwnIsKeptAsWritten() {
        RuntimeException refusal = new IllegalStateException("the archive did not confirm segment 0-255: lock OFF");

        assertThat(JobFailures.publishable(refusal)).isEqualTo("the archive did not confirm segment 0-255: lock OFF");
    }

    @Test
    void aForeignMessageIsKeptAsItsKindOnly() {
        RuntimeException sdk = foreign("Access Denied (Service: S3, bucket acme-worm-prod, host minio.internal:9000)");

        assertThat(JobFailures.publishable(sdk)).isEqualTo("RuntimeException (details in the service log)");
    }

    @Test
    void aJdkMessageCanQuoteValuesAndIsKeptAsItsKindOnly() {
        Throwable jdk = catchThrowable(() -> UUID.fromString("jane@example.org"));

        assertThat(JobFailures.publishable(jdk)).isEqualTo("IllegalArgumentException (details in the service log)")
                .doesNotContain("jane");
    }

    @Test
    void aForeignCauseQuotedInStenographersOwnMessageIsTakenOut() {
        RuntimeException sdk = foreign("Access Denied (bucket acme-worm-prod)");
        RuntimeException wrapped = new IllegalStateException("reading from the archive failed: " + sdk.getMessage(), sdk);

        assertThat(JobFailures.publishable(wrapped))
                .isEqualTo("reading from the archive failed: (details in the service log)");
    }

    @Test
    void aFailureWithoutAMessageIsItsKind() {
        assertThat(JobFailures.publishable(new IllegalStateException()))
                .isEqualTo("IllegalStateException (details in the service log)");
    }
}
