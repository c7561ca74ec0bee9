package io.stenographer.domain.report.bundle;

import io.stenographer.domain.merkle.Hash;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes a {@link CanonicalZip} in one pass, hashing every byte written so far. */
final class CanonicalZipWriter {

    private final OutputStream out;
    private final MessageDigest all = sha256();
    private final List<CanonicalZip.Entry> entries = new ArrayList<>();
    private long offset;
    private EntryStream open;

    CanonicalZipWriter(OutputStream out) {
        this.out = out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private void raw(byte[] bytes, int from, int length) throws IOException {
        out.write(bytes, from, length);
        all.update(bytes, from, length);
        offset += length;
        CanonicalZip.requireFits(offset, "the bundle");
    }

    private void raw(byte[] bytes) throws IOException {
        raw(bytes, 0, bytes.length);
    }

    /** Starts a deflated entry; write its content to the returned stream, then call {@link #closeEntry()}. */
    EntryStream deflated(String name) throws IOException {
        if (open != null) {
            throw new IllegalStateException("close the open entry first");
        }
        long headerOffset = offset;
        raw(CanonicalZip.localHeader(new CanonicalZip.Entry(name, false, 0, 0, 0, headerOffset)));
        open = new EntryStream(name, headerOffset);
        return open;
    }

    /** The finished entry: content SHA-256 and size. */
    Written closeEntry() throws IOException {
        EntryStream entry = open;
        entry.finish();
        open = null;
        CanonicalZip.Entry done = new CanonicalZip.Entry(entry.name, false, entry.crc.getValue(), entry.compressed,
                entry.size, entry.headerOffset);
        raw(CanonicalZip.descriptor(done));
        entries.add(done);
        return new Written(entry.name, new Hash(entry.content.digest()), entry.size);
    }

    void stored(String name, byte[] content) throws IOException {
        if (open != null) {
            throw new IllegalStateException("close the open entry first");
        }
        CRC32 crc = new CRC32();
        crc.update(content);
        CanonicalZip.Entry entry = new CanonicalZip.Entry(name, true, crc.getValue(), content.length, content.length,
                offset);
        raw(CanonicalZip.localHeader(entry));
        raw(content);
        entries.add(entry);
    }

    /** SHA-256 and length of every byte written so far. */
    Prefix prefix() {
        try {
            return new Prefix(offset, new Hash(((MessageDigest) all.clone()).digest()));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests must be cloneable", e);
        }
    }

    void finish() throws IOException {
        raw(CanonicalZip.centralDirectory(entries, offset));
        out.flush();
    }

    record Prefix(long length, Hash sha256) {
    }

    record Written(String name, Hash sha256, long size) {
    }

    /** Deflates into the archive, tracking CRC, sizes and the content hash. */
    final class EntryStream extends OutputStream {
        private final String name;
        private final long headerOffset;
        private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        private final CRC32 crc = new CRC32();
        private final MessageDigest content = sha256();
        private final byte[] buffer = new byte[1 << 16];
        private long size;
        private long compressed;

        private EntryStream(String name, long headerOffset) {
            this.name = name;
            this.headerOffset = headerOffset;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            crc.update(b, off, len);
            content.update(b, off, len);
            size += len;
            CanonicalZip.requireFits(size, name);
            deflater.setInput(b, off, len);
            while (!deflater.needsInput()) {
                drain();
            }
        }

        private void drain() throws IOException {
            int n = deflater.deflate(buffer);
            if (n > 0) {
                raw(buffer, 0, n);
                compressed += n;
                CanonicalZip.requireFits(compressed, name);
            }
        }

        private void finish() throws IOException {
            deflater.finish();
            while (!deflater.finished()) {
                drain();
            }
            deflater.end();
        }

        public void writeUtf8(String text) throws IOException {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            // The entry is closed by the writer; closing the stream does nothing.
        }
    }
}
