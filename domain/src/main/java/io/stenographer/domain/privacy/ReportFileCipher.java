package io.stenographer.domain.privacy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a stored report file that holds personal values, under the report's own data key, in segments, so that a
 * byte range is read without decrypting the whole file (docs/PRIVACY.md, "Reports with personal data"). Format
 * {@code stenographer.report-file/v1}:
 *
 * <pre>
 *   "STNRF1\n\0"                      8-byte header
 *   segment 0 .. n-1                  each AES-256-GCM of {@value #SEGMENT} plaintext bytes (the last 0..{@value #SEGMENT})
 *                                     followed by its 16-byte tag
 *   nonce of segment i                 4 zero bytes || i (8 bytes, big-endian)
 *   associated data of segment i       "stenographer.report-file/v1" || report id (16 bytes) || i (8 bytes) || 1 if last else 0
 * </pre>
 *
 * <p>The segment index and the last-segment flag in the associated data make a reordered, dropped, repeated or
 * truncated segment fail to open. The nonces are counters, which is safe because each report has its own key and a
 * report's content is a function of its job: a second attempt at the same report encrypts the same bytes to the same
 * file, and the store refuses to keep a second, different file for a report.
 */
public final class ReportFileCipher {

    public static final int SEGMENT = 64 * 1024;
    static final int TAG = 16;
    static final byte[] HEADER = "STNRF1\n\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTEXT = "stenographer.report-file/v1".getBytes(StandardCharsets.US_ASCII);

    private ReportFileCipher() {
    }

    /** The stored size of a file of {@code plainLength} bytes: the header, and a tag per segment (at least one). */
    public static long sealedLength(long plainLength) {
        return HEADER.length + plainLength + TAG * segments(plainLength);
    }

    private static long segments(long plainLength) {
        return Math.max(1, (plainLength + SEGMENT - 1) / SEGMENT);
    }

    /** A stream that encrypts what is written into {@code out}; closing it writes the last segment, not {@code out}. */
    public static OutputStream sealing(DataKey key, UUID reportId, OutputStream out) throws IOException {
        return new Sealing(key, reportId, out);
    }

    /**
     * The plaintext bytes {@code [offset, offset + length)} of a sealed file of {@code plainLength} bytes.
     *
     * @param sealed the stored bytes from a given stored offset to the end of the file
     * @throws PersonalDataUnreadable (when read) a segment does not open: a wrong key, or altered, moved or cut bytes
     */
    public static InputStream opening(DataKey key, UUID reportId, long plainLength, SealedSource sealed, long offset,
            long length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > plainLength) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + plainLength + " bytes");
        }
        long first = offset / SEGMENT;
        InputStream in = sealed.from(HEADER.length + first * (SEGMENT + TAG));
        return new Opening(key, reportId, segments(plainLength), first, offset - first * SEGMENT, length, in);
    }

    /** Checks the header of a stored file. */
    public static void requireHeader(byte[] firstBytes) {
        if (firstBytes.length < HEADER.length
                || !Arrays.equals(Arrays.copyOf(firstBytes, HEADER.length), HEADER)) {
            throw new PersonalDataUnreadable("the stored report file is not a stenographer.report-file/v1");
        }
    }

    /** Opens the stored bytes from a stored offset on. */
    @FunctionalInterface
    public interface SealedSource {
        InputStream from(long storedOffset) throws IOException;
    }

    private static Cipher cipher(int mode, DataKey key, UUID reportId, long index, boolean last)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] raw = key.bytes();
        try {
            byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(index).array();
            cipher.init(mode, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(TAG * 8, nonce));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        ByteArrayOutputStream aad = new ByteArrayOutputStream(CONTEXT.length + 25);
        aad.writeBytes(CONTEXT);
        aad.writeBytes(ByteBuffer.allocate(25).putLong(reportId.getMostSignificantBits())
                .putLong(reportId.getLeastSignificantBits()).putLong(index).put((byte) (last ? 1 : 0)).array());
        cipher.updateAAD(aad.toByteArray());
        return cipher;
    }

    private static final class Sealing extends OutputStream {
        private final DataKey key;
        private final UUID reportId;
        private final OutputStream out;
        private final byte[] segment = new byte[SEGMENT];
        private int filled;
        private long index;
        private boolean closed;

        Sealing(DataKey key, UUID reportId, OutputStream out) throws IOException {
            this.key = Objects.requireNonNull(key, "key");
            this.reportId = Objects.requireNonNull(reportId, "reportId");
            this.out = Objects.requireNonNull(out, "out");
            out.write(HEADER);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                if (filled == SEGMENT) {
                    // Only now is it known that this full segment is not the last one.
                    seal(false);
                }
                int n = Math.min(len, SEGMENT - filled);
                System.arraycopy(b, off, segment, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            try {
                out.write(cipher(Cipher.ENCRYPT_MODE, key, reportId, index, last).doFinal(segment, 0, filled));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-256-GCM is not available: " + e.getClass().getSimpleName());
            }
            Arrays.fill(segment, (byte) 0);
            index++;
            filled = 0;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                seal(true);
                out.flush();
            }
        }
    }

    private static final class Opening extends InputStream {
        private final DataKey key;
        private final UUID reportId;
        private final long segments;
        private final InputStream in;
        private long index;
        private long skip;
        private long remaining;
        private byte[] plain = new byte[0];
        private int position;

        Opening(DataKey key, UUID reportId, long segments, long first, long skip, long length, InputStream in) {
            this.key = key;
            this.reportId = reportId;
            this.segments = segments;
            this.index = first;
            this.skip = skip;
            this.remaining = length;
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            while (position == plain.length) {
                next();
            }
            int n = (int) Math.min(Math.min(len, plain.length - position), remaining);
            System.arraycopy(plain, position, b, off, n);
            position += n;
            remaining -= n;
            return n;
        }

        private void next() throws IOException {
            if (index >= segments) {
                throw new PersonalDataUnreadable("the sealed report file ends before its recorded length");
            }
            boolean last = index == segments - 1;
            byte[] sealed = last ? in.readAllBytes() : in.readNBytes(SEGMENT + TAG);
            if (!last && sealed.length < SEGMENT + TAG) {
                throw new EOFException("the sealed report file is cut short in segment " + index);
            }
            try {
                plain = cipher(Cipher.DECRYPT_MODE, key, reportId, index, last).doFinal(sealed);
            } catch (GeneralSecurityException e) {
                throw new PersonalDataUnreadable("segment " + index + " of the sealed report file does not open:"
                        + " a wrong key, or bytes altered, moved or cut");
            }
            index++;
            position = (int) Math.min(skip, plain.length);
            skip -= position;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
