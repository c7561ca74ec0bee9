package io.stenographer.domain.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReportFileCipherTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final UUID REPORT = UUID.fromString("7a1c2f7e-0d5b-4c4e-9a51-3f0d9e2b6c11");
    private static final int S = ReportFileCipher.SEGMENT;

    private final DataKey key = DataKey.generate(RANDOM);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, S - 1, S, S + 1, 3 * S + 5})
    void everySizeRoundTripsAndHasThePredictedLength(int size) throws IOException {
        byte[] plain = plaintext(size);
        byte[] sealed = seal(key, REPORT, plain);

        assertThat((long) sealed.length).isEqualTo(ReportFileCipher.sealedLength(size));
        assertThat(open(key, REPORT, sealed, size, 0, size)).isEqualTo(plain);
        // Encryption is confined: no run of the plaintext survives in the stored bytes.
        if (size >= 32) {
            assertThat(indexOf(sealed, Arrays.copyOfRange(plain, 0, 32))).isEqualTo(-1);
        }
    }

    @Test
    void rangesAcrossSegmentBoundariesReadOnlyTheirBytes() throws IOException {
        int size = 3 * S + 5;
        byte[] plain = plaintext(size);
        byte[] sealed = seal(key, REPORT, plain);

        long[][] ranges = {{0, 1}, {S - 3, 7}, {S, S}, {2 * S + 10, S - 5}, {size - 1, 1}, {5, size - 5}, {S, 0}};
        for (long[] range : ranges) {
            byte[] expected = Arrays.copyOfRange(plain, (int) range[0], (int) (range[0] + range[1]));
            assertThat(open(key, REPORT, sealed, size, range[0], range[1])).as("range %s+%s", range[0], range[1])
                    .isEqualTo(expected);
        }
    }

    @Test
    void theSameReportUnderTheSameKeySealsToTheSameBytes() throws IOException {
        byte[] plain = plaintext(2 * S + 100);

        // A takeover attempt writes the same file: the store accepts identical files only.
        assertThat(seal(key, REPORT, plain)).isEqualTo(seal(key, REPORT, plain));
    }

    @Test
    void aWrongKeyOrAnotherReportsIdDoesNotOpen() throws IOException {
        byte[] plain = plaintext(100);
        byte[] sealed = seal(key, REPORT, plain);

        assertThatThrownBy(() -> open(DataKey.generate(RANDOM), REPORT, sealed, 100, 0, 100))
                .isInstanceOf(PersonalDataUnreadable.class);
        assertThatThrownBy(() -> open(key, UUID.randomUUID(), sealed, 100, 0, 100))
                .isInstanceOf(PersonalDataUnreadable.class);
    }

    @Test
    void anAlteredByteDoesNotOpen() throws IOException {
        int size = 2 * S;
        byte[] sealed = seal(key, REPORT, plaintext(size));
        sealed[8 + S + 16 + 3] ^= 1;

        assertThat(open(key, REPORT, sealed, size, 0, 10)).hasSize(10);
        assertThatThrownBy(() -> open(key, REPORT, sealed, size, 0, size))
                .isInstanceOf(PersonalDataUnreadable.class).hasMessageContaining("segment 1");
    }

    @Test
    void aFileCutAtASegmentBoundaryDoesNotPassForAShorterOne() throws IOException {
        int size = 2 * S;
        byte[] sealed = seal(key, REPORT, plaintext(size));
        byte[] cut = Arrays.copyOf(sealed, 8 + S + 16);

        // The first segment was sealed as "not last": read as the last one of a one-segment file, it fails.
        assertThatThrownBy(() -> open(key, REPORT, cut, S, 0, S)).isInstanceOf(PersonalDataUnreadable.class);
    }

    @Test
    void swappedSegmentsDoNotOpen() throws IOException {
        int size = 3 * S;
        byte[] sealed = seal(key, REPORT, plaintext(size));
        byte[] swapped = sealed.clone();
        int segment = S + 16;
        System.arraycopy(sealed, 8, swapped, 8 + segment, segment);
        System.arraycopy(sealed, 8 + segment, swapped, 8, segment);

        assertThatThrownBy(() -> open(key, REPORT, swapped, size, 0, size)).isInstanceOf(PersonalDataUnreadable.class);
    }

    @Test
    void aFileWithoutTheHeaderIsRefused() {
        assertThatThrownBy(() -> ReportFileCipher.requireHeader("index,leafHash".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PersonalDataUnreadable.class);
    }

    private static byte[] plaintext(int size) {
        byte[] plain = new byte[size];
        for (int i = 0; i < size; i++) {
            plain[i] = (byte) ('a' + (i * 7 + i / 13) % 26);
        }
        return plain;
    }

    private static byte[] seal(DataKey key, UUID report, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream sealing = ReportFileCipher.sealing(key, report, out)) {
            // Odd-sized writes, so segment boundaries fall inside writes.
            for (int i = 0; i < plain.length; i += 1000) {
                sealing.write(plain, i, Math.min(1000, plain.length - i));
            }
        }
        return out.toByteArray();
    }

    private static byte[] open(DataKey key, UUID report, byte[] sealed, long size, long offset, long length)
            throws IOException {
        try (InputStream in = ReportFileCipher.opening(key, report, size,
                from -> new ByteArrayInputStream(sealed, (int) from, sealed.length - (int) from), offset, length)) {
            return in.readAllBytes();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
