package io.stenographer.domain.report.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.merkle.Hash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import org.junit.jupiter.api.Test;

/** The streaming reader of canonical ZIPs, against what {@link CanonicalZipWriter} writes. */
class CanonicalZipReaderTest {

    private static final String TEXT = "line one\nline two\n".repeat(5_000);

    /** One deflated entry "a.txt" holding {@link #TEXT}, then a stored entry "m.json", then the directory. */
    private static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CanonicalZipWriter writer = new CanonicalZipWriter(bytes);
        writer.deflated("a.txt").writeUtf8(TEXT);
        writer.closeEntry();
        writer.stored("m.json", "{}".getBytes(StandardCharsets.UTF_8));
        writer.finish();
        return bytes.toByteArray();
    }

    /** Hands out at most 7 bytes a read, so every buffer boundary is crossed. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    @Test
    void readsEveryStructureBackAndHashesEveryByte() throws Exception {
        byte[] zip = zip();
        CanonicalZipReader reader = new CanonicalZipReader(trickle(zip));

        byte[] header = reader.localHeader("a.txt");
        assertThat(header).isEqualTo(CanonicalZip.localHeader(new CanonicalZip.Entry("a.txt", false, 0, 0, 0, 0)));
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        CanonicalZipReader.Inflated inflated = reader.inflate(content::write);
        byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(text);
        assertThat(content.toByteArray()).isEqualTo(text);
        assertThat(inflated.size()).isEqualTo(text.length);
        assertThat(inflated.crc()).isEqualTo(crc.getValue());
        assertThat(inflated.sha256()).isEqualTo(new Hash(MessageDigest.getInstance("SHA-256").digest(text)));
        assertThat(inflated.compressedSize()).isLessThan(text.length);
        CanonicalZip.Entry entry = new CanonicalZip.Entry("a.txt", false, inflated.crc(), inflated.compressedSize(),
                inflated.size(), 0);
        assertThat(reader.read(16)).isEqualTo(CanonicalZip.descriptor(entry));

        long before = reader.offset();
        assertThat(reader.snapshot()).isEqualTo(new Hash(
                MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(zip, (int) before))));
        byte[] stored = reader.read(30 + "m.json".length() + 2);
        assertThat(new String(stored, stored.length - 2, 2, StandardCharsets.UTF_8)).isEqualTo("{}");
        byte[] rest = reader.readRest(10_000);
        assertThat(reader.offset()).isEqualTo(zip.length);
        assertThat(rest).isEqualTo(Arrays.copyOfRange(zip, zip.length - rest.length, zip.length));
        assertThat(reader.snapshot()).isEqualTo(new Hash(MessageDigest.getInstance("SHA-256").digest(zip)));
        assertThat(reader.read(1)).as("nothing after the end").isNull();
    }

    @Test
    void refusesAnotherEntryThanTheExpectedOne() throws Exception {
        CanonicalZipReader reader = new CanonicalZipReader(new ByteArrayInputStream(zip()));
        assertThatThrownBy(() -> reader.localHeader("b.txt")).isInstanceOf(CanonicalZipReader.Broken.class)
                .hasMessage("expected entry b.txt, found 'a.txt'");
    }

    @Test
    void refusesWhatIsNoLocalHeader() {
        CanonicalZipReader reader = new CanonicalZipReader(new ByteArrayInputStream(new byte[40]));
        assertThatThrownBy(() -> reader.localHeader("a.txt")).isInstanceOf(CanonicalZipReader.Broken.class)
                .hasMessage("expected the local header of a.txt at offset 30");
    }

    @Test
    void reportsAZipCutInsideAHeaderOrInsideCompressedData() throws Exception {
        byte[] zip = zip();
        CanonicalZipReader inHeader = new CanonicalZipReader(new ByteArrayInputStream(Arrays.copyOf(zip, 32)));
        assertThatThrownBy(() -> inHeader.localHeader("a.txt")).isInstanceOf(CanonicalZipReader.Broken.class)
                .hasMessage("the ZIP ends inside the header of a.txt");

        CanonicalZipReader inData = new CanonicalZipReader(new ByteArrayInputStream(Arrays.copyOf(zip, 60)));
        inData.localHeader("a.txt");
        assertThatThrownBy(() -> inData.inflate((bytes, from, length) -> { }))
                .isInstanceOf(CanonicalZipReader.Broken.class).hasMessage("the ZIP ends inside compressed data");
    }

    @Test
    void reportsCorruptDeflateData() throws Exception {
        byte[] zip = zip();
        byte[] corrupt = zip.clone();
        int data = 30 + "a.txt".length();
        corrupt[data] = (byte) 0xff; // block type 3 does not exist
        CanonicalZipReader reader = new CanonicalZipReader(new ByteArrayInputStream(corrupt));
        reader.localHeader("a.txt");
        assertThatThrownBy(() -> reader.inflate((bytes, from, length) -> { }))
                .isInstanceOf(DataFormatException.class);
    }

    @Test
    void aSinkMayStopTheEntry() throws Exception {
        CanonicalZipReader reader = new CanonicalZipReader(new ByteArrayInputStream(zip()));
        reader.localHeader("a.txt");
        assertThatThrownBy(() -> reader.inflate((bytes, from, length) -> {
            throw new CanonicalZipReader.Broken("too large");
        })).isInstanceOf(CanonicalZipReader.Broken.class).hasMessage("too large");
    }

    @Test
    void readRestCutsAtTheLimitSoATrailerNeverPassesAsCanonical() throws Exception {
        CanonicalZipReader reader = new CanonicalZipReader(new ByteArrayInputStream(new byte[100]));
        assertThat(reader.readRest(10)).hasSize(11);
    }
}
