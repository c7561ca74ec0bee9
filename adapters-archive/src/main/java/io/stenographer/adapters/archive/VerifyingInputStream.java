package io.stenographer.adapters.archive;

import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveContentMismatch;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Hashes the bytes as the caller reads them and, when the end of the stream is reached, compares the
 * SHA-256 with the one the store reported for the object: a mismatch makes the final read throw an
 * {@link ArchiveContentMismatch} (an {@link IOException}) naming the key, so a caller that reads to the end
 * cannot silently get altered bytes. (The caller should still compare with its own manifest, as the port says: this only proves
 * the bytes match what the store recorded at upload.) Reads that stop before the end check nothing.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final String key;
    private final String expectedSha256Hex;
    private final MessageDigest digest = Sha256.newDigest();
    private boolean checked;

    VerifyingInputStream(InputStream in, String key, String expectedSha256Hex) {
        super(in);
        this.key = key;
        this.expectedSha256Hex = expectedSha256Hex;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            checkAtEnd();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            checkAtEnd();
        } else if (n > 0) {
            digest.update(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be hashed too, so skip by reading.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: a reset would hash bytes twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void checkAtEnd() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(expectedSha256Hex)) {
            throw new ArchiveContentMismatch("archive object " + key + " does not match the SHA-256 the store recorded for it"
                    + " (recorded " + expectedSha256Hex + ", read " + actual + ")");
        }
    }
}
