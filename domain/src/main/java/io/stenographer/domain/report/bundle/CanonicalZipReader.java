package io.stenographer.domain.report.bundle;

import io.stenographer.domain.merkle.Hash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a {@link CanonicalZip} sequentially with bounded memory, hashing every byte it consumes, so
 * that a verifier can compare each structure with the one {@link CanonicalZip} would write and pin
 * the bytes read so far by their SHA-256. It checks nothing about content; {@link ReportBundleVerifier} does.
 */
final class CanonicalZipReader {

    /** A structural problem after which the rest of the ZIP cannot be read reliably. */
    static final class Broken extends Exception {
        private static final long serialVersionUID = 1L;

        Broken(String message) {
            super(message, null, false, false);
        }
    }

    /** Takes inflated bytes as they come; may refuse them (too large, say) by throwing {@link Broken}. */
    interface Chunk {
        void accept(byte[] bytes, int from, int length) throws Broken;
    }

    record Inflated(long crc, long compressedSize, long size, Hash sha256) {
    }

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private final MessageDigest digest = CanonicalZipWriter.sha256();
    private int position;
    private int limit;
    private long offset;

    CanonicalZipReader(InputStream in) {
        this.in = in;
    }

    /** How many bytes have been consumed so far. */
    long offset() {
        return offset;
    }

    private boolean fill() throws IOException {
        if (position < limit) {
            return true;
        }
        int n = in.read(buffer);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private void consume(int n) {
        digest.update(buffer, position, n);
        position += n;
        offset += n;
    }

    /** Exactly n bytes, or null at the end of the stream. */
    byte[] read(int n) throws IOException {
        byte[] out = new byte[n];
        int filled = 0;
        while (filled < n) {
            if (!fill()) {
                return null;
            }
            int take = Math.min(n - filled, limit - position);
            System.arraycopy(buffer, position, out, filled, take);
            consume(take);
            filled += take;
        }
        return out;
    }

    /** The local header of the next entry, which must be named {@code expectedName}, as read. */
    byte[] localHeader(String expectedName) throws IOException, Broken {
        byte[] fixed = read(30);
        if (fixed == null || CanonicalZip.u32(fixed, 0) != CanonicalZip.LOCAL) {
            throw new Broken("expected the local header of " + expectedName + " at offset " + offset);
        }
        byte[] name = read(CanonicalZip.u16(fixed, 26) + CanonicalZip.u16(fixed, 28));
        if (name == null) {
            throw new Broken("the ZIP ends inside the header of " + expectedName);
        }
        String actual = new String(name, StandardCharsets.UTF_8);
        if (!actual.equals(expectedName)) {
            throw new Broken("expected entry " + expectedName + ", found '"
                    + (actual.length() > 64 ? actual.substring(0, 64) : actual) + "'");
        }
        return concat(fixed, name);
    }

    /** Inflates the raw deflate data that follows, handing the bytes to {@code sink}, and stops at its end. */
    Inflated inflate(Chunk sink) throws IOException, Broken, DataFormatException {
        Inflater inflater = new Inflater(true);
        CRC32 crc = new CRC32();
        MessageDigest content = CanonicalZipWriter.sha256();
        byte[] out = new byte[1 << 16];
        long size = 0;
        long compressed = 0;
        int given = 0;
        try {
            while (true) {
                int n = inflater.inflate(out);
                if (n > 0) {
                    crc.update(out, 0, n);
                    content.update(out, 0, n);
                    size += n;
                    if (size > CanonicalZip.MAX_32) {
                        throw new Broken("an entry inflates beyond 4 GiB");
                    }
                    sink.accept(out, 0, n);
                }
                if (inflater.finished()) {
                    int used = given - inflater.getRemaining();
                    consume(used);
                    compressed += used;
                    break;
                }
                if (n > 0) {
                    continue;
                }
                if (inflater.needsDictionary() || !inflater.needsInput()) {
                    throw new DataFormatException("the deflate stream is invalid");
                }
                consume(given);
                compressed += given;
                if (!fill()) {
                    throw new Broken("the ZIP ends inside compressed data");
                }
                given = limit - position;
                inflater.setInput(buffer, position, given);
            }
        } finally {
            inflater.end();
        }
        return new Inflated(crc.getValue(), compressed, size, new Hash(content.digest()));
    }

    /** Everything left, up to max bytes (more is cut, and so never equal to a canonical ending). */
    byte[] readRest(int max) throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        while (rest.size() <= max && fill()) {
            int take = Math.min(limit - position, max + 1 - rest.size());
            rest.write(buffer, position, take);
            consume(take);
        }
        return rest.toByteArray();
    }

    /** The SHA-256 of every byte consumed so far; reading can go on. */
    Hash snapshot() {
        try {
            return new Hash(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests must be cloneable", e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
