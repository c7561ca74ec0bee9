package io.stenographer.adapters.archive;

import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveChecksumMismatch;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveDeletionRefused;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveObjectExists;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveObjectNotFound;
import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import io.stenographer.application.port.out.ArchiveSegmentsPort.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ArchiveSegmentsPort} must do, run against each adapter by a subclass. Retention is
 * tested with a clock the test moves forward: the adapters refuse deletion by their own check of the
 * read-back retention date against that clock. (For the S3 adapter under S3Mock, that check is the only
 * thing refusing: S3Mock does not enforce locks. AWS S3 would refuse the locked delete itself; see
 * {@link S3ObjectLockArchiveTest}.)
 */
abstract class ArchiveSegmentsContractTest {

    protected final MutableClock clock = new MutableClock();
    protected ArchiveSegmentsPort archive;
    private String prefix;

    /** A fresh archive over the adapter's test store, reading time from {@code clock}. */
    protected abstract ArchiveSegmentsPort newArchive(MutableClock clock);

    @BeforeEach
    void freshArchive() {
        archive = newArchive(clock);
        archive.checkWormCapable();
        prefix = "t-" + UUID.randomUUID() + "/";
    }

    protected String key(String name) {
        return prefix + name;
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected Instant inOneDay() {
        return clock.instant().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void put_then_describe_reports_compliance_lock_retention_checksum_and_size() {
        byte[] content = bytes("{\"index\":0}\n{\"index\":1}\n");
        String sha = Sha256.hex(content);
        Instant until = inOneDay();

        StoredObject put = archive.put(key("segment-0-1.ndjson"), content, sha, until);

        assertThat(put.key()).isEqualTo(key("segment-0-1.ndjson"));
        assertThat(put.lock()).isEqualTo(Lock.WRITE_ONCE);
        assertThat(put.retainUntil()).isEqualTo(until);
        assertThat(put.sha256Hex()).isEqualTo(sha);
        assertThat(put.size()).isEqualTo(content.length);
        assertThat(put.legalHold()).isFalse();
        assertThat(put.confirms(sha, until)).isTrue();
        assertThat(archive.describe(key("segment-0-1.ndjson"))).contains(put);
    }

    @Test
    void a_lock_is_extended_never_shortened() {
        byte[] content = bytes("{\"index\":7}\n");
        Instant until = inOneDay();
        archive.put(key("extend.ndjson"), content, Sha256.hex(content), until);

        assertThat(archive.extendLock(key("extend.ndjson"), until.minus(Duration.ofHours(12))).retainUntil())
                .as("an earlier date leaves the lock as it is").isEqualTo(until);
        Instant later = until.plus(Duration.ofDays(30));
        StoredObject extended = archive.extendLock(key("extend.ndjson"), later);
        assertThat(extended.retainUntil()).isEqualTo(later);
        assertThat(extended.lock()).isEqualTo(Lock.WRITE_ONCE);
        assertThat(extended.sha256Hex()).isEqualTo(Sha256.hex(content));
        assertThat(archive.describe(key("extend.ndjson"))).contains(extended);
        assertThatThrownBy(() -> archive.extendLock(key("missing.ndjson"), later))
                .isInstanceOf(ArchiveSegmentsPort.ArchiveObjectNotFound.class);
    }

    @Test
    void retain_until_with_a_fraction_of_a_second_is_never_read_back_earlier() {
        byte[] content = bytes("fraction");
        Instant until = inOneDay().plusMillis(250);

        StoredObject put = archive.put(key("fraction"), content, Sha256.hex(content), until);

        assertThat(put.retainUntil()).isAfterOrEqualTo(until);
        assertThat(put.confirms(Sha256.hex(content), until)).isTrue();
    }

    @Test
    void an_upper_case_hex_checksum_is_accepted_and_reported_in_lower_case() {
        byte[] content = bytes("upper");
        StoredObject put = archive.put(key("upper"), content, Sha256.hex(content).toUpperCase(), inOneDay());
        assertThat(put.sha256Hex()).isEqualTo(Sha256.hex(content));
    }

    @Test
    void keys_with_slashes_are_kept_apart() {
        archive.put(key("a/b/c.gz"), bytes("abc"), Sha256.hex(bytes("abc")), inOneDay());
        archive.put(key("a/b.gz"), bytes("ab"), Sha256.hex(bytes("ab")), inOneDay());

        assertThat(archive.describe(key("a/b/c.gz")).orElseThrow().size()).isEqualTo(3);
        assertThat(archive.describe(key("a/b.gz")).orElseThrow().size()).isEqualTo(2);
        assertThat(archive.describe(key("a/b"))).isEmpty();
    }

    @Test
    void a_second_put_under_the_same_key_is_refused_and_the_first_content_stays() throws IOException {
        byte[] first = bytes("first version");
        byte[] second = bytes("second version, longer");
        Instant until = inOneDay();
        archive.put(key("once"), first, Sha256.hex(first), until);

        assertThatThrownBy(() -> archive.put(key("once"), second, Sha256.hex(second), until.plusSeconds(60)))
                .isInstanceOf(ArchiveObjectExists.class)
                .satisfies(e -> assertThat(((ArchiveObjectExists) e).key()).isEqualTo(key("once")));
        assertThatThrownBy(() -> archive.put(key("once"), first, Sha256.hex(first), until))
                .isInstanceOf(ArchiveObjectExists.class);

        assertThat(readAll(key("once"))).isEqualTo(first);
        StoredObject now = archive.describe(key("once")).orElseThrow();
        assertThat(now.sha256Hex()).isEqualTo(Sha256.hex(first));
        assertThat(now.retainUntil()).isEqualTo(until);
    }

    @Test
    void open_streams_the_stored_bytes() throws IOException {
        byte[] content = new byte[300_000];
        new Random(42).nextBytes(content);
        archive.put(key("binary.gz"), content, Sha256.hex(content), inOneDay());

        assertThat(readAll(key("binary.gz"))).isEqualTo(content);
    }

    @Test
    void legal_hold_is_set_and_cleared_and_read_back() {
        byte[] content = bytes("held");
        archive.put(key("held"), content, Sha256.hex(content), inOneDay());

        StoredObject on = archive.setLegalHold(key("held"), true);
        assertThat(on.legalHold()).isTrue();
        assertThat(archive.describe(key("held")).orElseThrow().legalHold()).isTrue();
        assertThat(on.lock()).isEqualTo(Lock.WRITE_ONCE);

        StoredObject off = archive.setLegalHold(key("held"), false);
        assertThat(off.legalHold()).isFalse();
        assertThat(archive.describe(key("held")).orElseThrow().legalHold()).isFalse();
    }

    @Test
    void delete_is_refused_while_retained_and_allowed_once_retention_has_passed() {
        byte[] content = bytes("retained");
        Instant until = inOneDay();
        archive.put(key("retained"), content, Sha256.hex(content), until);

        assertThatThrownBy(() -> archive.delete(key("retained")))
                .isInstanceOf(ArchiveDeletionRefused.class)
                .hasMessageContaining(key("retained"))
                .hasMessageContaining(until.toString());
        assertThat(archive.describe(key("retained"))).isPresent();

        clock.advance(Duration.ofDays(1).minusSeconds(5));
        assertThatThrownBy(() -> archive.delete(key("retained"))).isInstanceOf(ArchiveDeletionRefused.class);

        clock.advance(Duration.ofSeconds(10));
        archive.delete(key("retained"));
        assertThat(archive.describe(key("retained"))).isEmpty();
        assertThatThrownBy(() -> archive.open(key("retained"))).isInstanceOf(ArchiveObjectNotFound.class);
    }

    @Test
    void delete_is_refused_under_legal_hold_even_after_retention_and_allowed_when_released() {
        byte[] content = bytes("litigation");
        archive.put(key("litigation"), content, Sha256.hex(content), inOneDay());
        archive.setLegalHold(key("litigation"), true);
        clock.advance(Duration.ofDays(2));

        assertThatThrownBy(() -> archive.delete(key("litigation")))
                .isInstanceOf(ArchiveDeletionRefused.class)
                .hasMessageContaining("legal hold");
        assertThat(archive.describe(key("litigation"))).isPresent();

        archive.setLegalHold(key("litigation"), false);
        archive.delete(key("litigation"));
        assertThat(archive.describe(key("litigation"))).isEmpty();
    }

    @Test
    void a_key_can_be_stored_again_after_its_object_was_deleted() throws IOException {
        archive.put(key("again"), bytes("one"), Sha256.hex(bytes("one")), inOneDay());
        clock.advance(Duration.ofDays(2));
        archive.delete(key("again"));

        StoredObject second = archive.put(key("again"), bytes("two"), Sha256.hex(bytes("two")), inOneDay());

        assertThat(second.sha256Hex()).isEqualTo(Sha256.hex(bytes("two")));
        assertThat(second.legalHold()).isFalse();
        assertThat(readAll(key("again"))).isEqualTo(bytes("two"));
    }

    @Test
    void content_that_does_not_match_its_checksum_is_refused_and_nothing_is_stored() {
        byte[] content = bytes("the real content");
        String wrong = Sha256.hex(bytes("something else"));

        assertThatThrownBy(() -> archive.put(key("wrong-sum"), content, wrong, inOneDay()))
                .isInstanceOf(ArchiveChecksumMismatch.class)
                .hasMessageContaining(key("wrong-sum"));
        assertThat(archive.describe(key("wrong-sum"))).isEmpty();
    }

    @Test
    void missing_objects_are_empty_not_found_or_a_no_op_delete() {
        assertThat(archive.describe(key("never"))).isEmpty();
        assertThatThrownBy(() -> archive.open(key("never"))).isInstanceOf(ArchiveObjectNotFound.class);
        assertThatThrownBy(() -> archive.setLegalHold(key("never"), true)).isInstanceOf(ArchiveObjectNotFound.class);
        archive.delete(key("never"));
        assertThat(archive.describe(key("never"))).isEmpty();
    }

    @Test
    void a_retention_date_that_is_not_in_the_future_is_refused() {
        byte[] content = bytes("past");
        assertThatThrownBy(() -> archive.put(key("past"), content, Sha256.hex(content), clock.instant().minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retainUntil");
        assertThat(archive.describe(key("past"))).isEmpty();
    }

    @Test
    void a_checksum_that_is_not_64_hex_digits_is_refused() {
        assertThatThrownBy(() -> archive.put(key("bad-hex"), bytes("x"), "abc", inOneDay()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../escape", "/etc/passwd", "a//b", "a/./b", "a/", ".hidden",
            "a/.hidden", "sp ace", "semi;colon", "back\\slash", "umlaut-\u00e4", "x.lock.json", "x.legal-hold.json", ""})
    void keys_outside_the_rule_are_refused_by_every_operation(String bad) {
        assertThatThrownBy(() -> archive.put(bad, bytes("x"), Sha256.hex(bytes("x")), inOneDay()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("archive key");
        assertThatThrownBy(() -> archive.describe(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> archive.open(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> archive.setLegalHold(bad, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> archive.delete(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Report files: content too large to hold in memory is streamed from its source, checked the same way. */
    @Test
    void a_streamed_put_stores_large_content_under_the_same_lock_and_checks() throws IOException {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(19).nextBytes(content);
        String sha = Sha256.hex(content);
        Instant until = inOneDay();
        int[] opened = {0};

        StoredObject put = archive.put(key("reports/large.zip"), () -> {
            opened[0]++;
            return new java.io.ByteArrayInputStream(content);
        }, content.length, sha, until);

        assertThat(opened[0]).isPositive();
        assertThat(put.confirms(sha, until)).isTrue();
        assertThat(put.size()).isEqualTo(content.length);
        assertThat(readAll(key("reports/large.zip"))).isEqualTo(content);
        assertThatThrownBy(() -> archive.put(key("reports/large.zip"), () -> new java.io.ByteArrayInputStream(content),
                content.length, sha, until)).isInstanceOf(ArchiveObjectExists.class);
    }

    @Test
    void a_streamed_put_whose_content_does_not_match_its_sha256_keeps_nothing() {
        byte[] content = bytes("the report as generated");
        String otherSha = Sha256.hex(bytes("another report"));

        assertThatThrownBy(() -> archive.put(key("reports/wrong.json"), () -> new java.io.ByteArrayInputStream(content),
                content.length, otherSha, inOneDay())).isInstanceOf(ArchiveChecksumMismatch.class);
        assertThat(archive.describe(key("reports/wrong.json"))).isEmpty();
    }

    protected byte[] readAll(String key) throws IOException {
        try (InputStream in = archive.open(key)) {
            return in.readAllBytes();
        }
    }
}
