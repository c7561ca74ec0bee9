package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.StageReportFilesPort;
import io.stenographer.application.port.out.StoreReportFilesPort;
import io.stenographer.domain.merkle.Hash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicInteger;

/** Scratch copies in memory; counts the copies still open, so a test sees that every one was closed. */
public final class InMemoryReportStaging implements StageReportFilesPort {

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger staged = new AtomicInteger();

    /** Copies made and not closed yet. */
    public int open() {
        return open.get();
    }

    /** Copies made so far. */
    public int staged() {
        return staged.get();
    }

    @Override
    public Staged stage(StoreReportFilesPort.Content content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        content.writeTo(out);
        byte[] bytes = out.toByteArray();
        Hash sha256 = sha256(bytes);
        open.incrementAndGet();
        staged.incrementAndGet();
        return new Staged() {
            private boolean closed;

            @Override
            public long bytes() {
                return bytes.length;
            }

            @Override
            public Hash sha256() {
                return sha256;
            }

            @Override
            public InputStream open(long offset, long length) {
                return new ByteArrayInputStream(bytes, Math.toIntExact(offset), Math.toIntExact(length));
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    open.decrementAndGet();
                }
            }
        };
    }

    public static Hash sha256(byte[] bytes) {
        try {
            return new Hash(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
