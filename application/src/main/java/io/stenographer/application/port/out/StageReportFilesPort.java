package io.stenographer.application.port.out;

import io.stenographer.domain.merkle.Hash;
import java.io.IOException;
import java.io.InputStream;

/**
 * Private scratch space on this instance for a report file on its way into the shared store, or on its way out to a
 * client: the bytes are streamed into a scratch copy and hashed as they arrive, so that what is stored, or served, is
 * exactly what was hashed. Nothing here outlives its {@link Staged} handle (or, after a crash, the next start).
 */
public interface StageReportFilesPort {

    /** Streams {@code content} into a new scratch copy, counting and hashing it; on failure nothing is kept. */
    Staged stage(StoreReportFilesPort.Content content) throws IOException;

    /** A complete scratch copy; {@link #close} deletes it. */
    interface Staged extends AutoCloseable {

        long bytes();

        Hash sha256();

        /** {@code length} bytes of the copy from {@code offset}. */
        InputStream open(long offset, long length) throws IOException;

        /** The whole copy. */
        default InputStream open() throws IOException {
            return open(0, bytes());
        }

        /** Deletes the copy; calling it again does nothing. */
        @Override
        void close();
    }
}
