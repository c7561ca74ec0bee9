package io.stenographer.application.service;

import io.stenographer.application.port.in.ReportFileCorrupted;
import io.stenographer.application.port.in.ReportFileGone;
import io.stenographer.application.port.in.ReportFileUnavailable;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.PersonalDataUnreadable;
import io.stenographer.domain.privacy.ReportFileCipher;
import java.io.OutputStream;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveContentMismatch;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveObjectExists;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveObjectNotFound;
import io.stenographer.application.port.out.ArchiveSegmentsPort.ArchiveUnavailable;
import io.stenographer.application.port.out.ArchiveSegmentsPort.StoredObject;
import io.stenographer.application.port.out.CatalogReportFilesPort;
import io.stenographer.application.port.out.StageReportFilesPort;
import io.stenographer.application.port.out.StoreReportFilesPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportFileRetention;
import io.stenographer.domain.report.ReportFormat;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Report files in the store every instance reads (docs/REPORTS.md, "Report files"). A file is streamed into this
 * instance's scratch space while it is hashed, then kept where its size says: up to {@code inlineMaxBytes} as a row of
 * the database, larger ones as an object of the archive store under a write-once lock until the end of the file's
 * retention. Only then is the file recorded (size, SHA-256, where), in a transaction of its own; the report's success is
 * recorded after that by the generator. A file is never replaced: when one is already recorded for the report (another
 * instance finished first after a takeover), the same size and SHA-256 is accepted, anything else refused loudly.
 *
 * <p>Reading checks the bytes against the recorded SHA-256 before anything is handed out, so a changed or damaged
 * file is an error and never half a response.
 */
public final class ReportFiles implements StoreReportFilesPort {

    /** A database row holds at most this much; larger files go to the archive store whatever the setting. */
    public static final long MAX_INLINE_BYTES = 16L * 1024 * 1024;
    /**
     * Archived files read at once on an instance (downloads and checks): each read copies the whole file (up to
     * gigabytes) to local scratch space first, so slow readers in parallel must not be able to fill the disk.
     */
    public static final int MAX_ARCHIVED_COPIES = 8;

    private final StageReportFilesPort staging;
    private final CatalogReportFilesPort catalog;
    private final ArchiveSegmentsPort archive;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final long inlineMaxBytes;
    private final ReportFileRetention retention;
    private final FileKeys fileKeys;
    /** Scratch copies of archived files being read on this instance; each is a whole file on local disk. */
    private final Semaphore archivedCopies = new Semaphore(MAX_ARCHIVED_COPIES);

    /** The key a report's stored file is encrypted under, if it is. Both in the caller's transaction. */
    public interface FileKeys {

        /** No stored file is encrypted (a store that never holds personal values). */
        FileKeys NONE = new FileKeys() {
            @Override
            public Optional<DataKey> keyOf(TenantId tenant, UUID reportId) {
                return Optional.empty();
            }

            @Override
            public boolean erased(UUID reportId) {
                return false;
            }
        };

        /** @throws PersonalDataVault.ReportKeyErased when the key was destroyed by an erasure */
        Optional<DataKey> keyOf(TenantId tenant, UUID reportId);

        /** Whether the report's file had a key, which an erasure destroyed (no key is unwrapped to tell). */
        boolean erased(UUID reportId);
    }

    public ReportFiles(StageReportFilesPort staging, CatalogReportFilesPort catalog, ArchiveSegmentsPort archive,
            TransactionRunner transactions, Clock clock, long inlineMaxBytes, ReportFileRetention retention,
            FileKeys fileKeys) {
        if (inlineMaxBytes < 0 || inlineMaxBytes > MAX_INLINE_BYTES) {
            throw new IllegalArgumentException("stenographer.reports.files.inline-max-bytes must be 0.."
                    + MAX_INLINE_BYTES + ", was " + inlineMaxBytes);
        }
        this.staging = staging;
        this.catalog = catalog;
        this.archive = archive;
        this.transactions = transactions;
        this.clock = clock;
        this.inlineMaxBytes = inlineMaxBytes;
        this.retention = retention;
        this.fileKeys = fileKeys;
    }

    public ReportFileRetention retention() {
        return retention;
    }

    /** Whether the file's key was destroyed by an erasure, so that it can no longer be read. In the caller's transaction. */
    public boolean keyErased(ReportFile file) {
        return fileKeys.erased(file.reportId());
    }

    @Override
    public Stored write(TenantId tenant, UUID id, ReportFormat format, Optional<DataKey> sealedUnder,
            Content content) throws IOException {
        Digesting plain = new Digesting();
        Content stored = sealedUnder.isEmpty() ? content : out -> {
            // Only ciphertext reaches the scratch copy; the record describes the content as written.
            try (Digesting.Stream counted = plain.around(ReportFileCipher.sealing(sealedUnder.get(), id, out))) {
                content.writeTo(counted);
            }
        };
        try (StageReportFilesPort.Staged staged = staging.stage(stored)) {
            long bytes = sealedUnder.isEmpty() ? staged.bytes() : plain.bytes();
            Hash sha256 = sealedUnder.isEmpty() ? staged.sha256() : plain.sha256();
            if (sealedUnder.isPresent() && staged.bytes() != ReportFileCipher.sealedLength(bytes)) {
                throw new IllegalStateException("report " + id + ": the encrypted file has " + staged.bytes()
                        + " bytes, not the " + ReportFileCipher.sealedLength(bytes) + " its content makes");
            }
            Instant now = clock.instant();
            ReportFile wanted;
            if (staged.bytes() <= inlineMaxBytes) {
                wanted = ReportFile.record(id, tenant, format, bytes, sha256,
                        ReportFile.Location.DATABASE, null, now, null);
            } else {
                String key = ReportFile.archiveKey(tenant, id, format);
                StoredObject object = putInArchive(id, key, staged, retention.expiresAt(now));
                wanted = ReportFile.record(id, tenant, format, bytes, sha256,
                        ReportFile.Location.ARCHIVE, key, now, object.retainUntil());
            }
            ReportFile file = recordOrCompare(wanted, staged);
            return new Stored(file.bytes(), file.sha256());
        }
    }

    /**
     * Uploads the scratch copy under a write-once lock. An object already under the key was left by another attempt
     * at the same report: kept if it holds the same bytes (and given its lock if an interrupted upload left it
     * without one), refused otherwise.
     */
    private StoredObject putInArchive(UUID id, String key, StageReportFilesPort.Staged staged, Instant lockUntil) {
        String hex = staged.sha256().hex();
        StoredObject object;
        try {
            object = archive.put(key, staged::open, staged.bytes(), hex, lockUntil);
        } catch (ArchiveObjectExists e) {
            object = archive.describe(key).orElseThrow(() -> new ArchiveUnavailable("archive object " + key
                    + " was reported to exist and then not found", e));
            if (!hex.equalsIgnoreCase(String.valueOf(object.sha256Hex())) || object.size() != staged.bytes()) {
                throw new ReportFileConflict("report " + id + ": the archive store already holds a different file"
                        + " under " + key + " (" + object.size() + " bytes, sha256 " + object.sha256Hex() + "); this"
                        + " attempt produced " + staged.bytes() + " bytes, sha256 " + hex + "; the stored object is"
                        + " kept and an operator must look at it");
            }
            if (object.lock() != ArchiveSegmentsPort.Lock.WRITE_ONCE || object.retainUntil() == null) {
                object = archive.extendLock(key, lockUntil);
            }
            lockUntil = object.retainUntil() == null ? lockUntil : object.retainUntil();
        }
        if (!object.confirms(hex, lockUntil)) {
            throw new ArchiveUnavailable("the archive store did not confirm report file " + key + " (lock "
                    + object.lock() + " until " + object.retainUntil() + ", sha256 " + object.sha256Hex() + ")", null);
        }
        return object;
    }

    private ReportFile recordOrCompare(ReportFile wanted, StageReportFilesPort.Staged staged) throws IOException {
        Optional<ReportFile> recorded;
        try {
            recorded = transactions.inTransaction(() -> {
                if (wanted.location() != ReportFile.Location.DATABASE) {
                    return catalog.record(wanted, null);
                }
                try (InputStream in = staged.open()) {
                    return catalog.record(wanted, in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (recorded.isPresent()) {
            return recorded.get();
        }
        ReportFile existing = transactions.inTransaction(() -> catalog.find(wanted.reportId())).orElseThrow(
                () -> new IllegalStateException("report " + wanted.reportId() + ": a file was reported as recorded"
                        + " and then not found"));
        if (!existing.sameContentAs(wanted)) {
            throw new ReportFileConflict("report " + wanted.reportId() + ": a different file is already stored ("
                    + existing.bytes() + " bytes, sha256 " + existing.sha256().hex() + ", " + existing.location()
                    .wireName() + "); this attempt produced " + wanted.bytes() + " bytes, sha256 "
                    + wanted.sha256().hex() + "; the stored file is kept and an operator must look at it");
        }
        return existing;
    }

    @Override
    public InputStream open(TenantId tenant, UUID id, ReportFormat format) throws IOException {
        ReportFile file = transactions.inTransaction(() -> catalog.find(id)).filter(f -> !f.purged())
                .orElseThrow(() -> new FileNotFoundException("no stored file of report " + id));
        Checked checked = checked(file);
        InputStream in = checked.open(0, file.bytes());
        return new FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    checked.close();
                }
            }
        };
    }

    /** A file's bytes, checked against its record. Close it to remove a scratch copy. */
    public interface Checked extends AutoCloseable {

        InputStream open(long offset, long length) throws IOException;

        @Override
        void close();
    }

    /**
     * Reads the whole file and checks its size and SHA-256 against the record before anything is handed out. A file
     * in the database (small by definition) is checked in memory. A file in the archive store is copied to this
     * instance's scratch space and hashed on the way: the bytes later streamed to the client are then exactly the
     * bytes that were checked. Reading the object twice (once to check, once to stream) would save the local copy,
     * but could stream bytes that changed in between (a store without enforced locks, or a new object version), and
     * a mismatch found while streaming comes after the headers, as half a body.
     *
     * @throws ReportFileCorrupted   the bytes differ from the record, or are missing from their store
     * @throws ReportFileUnavailable the archive store could not be read
     */
    public Checked checked(ReportFile file) {
        Optional<DataKey> key;
        try {
            key = transactions.inTransaction(() -> fileKeys.keyOf(file.tenant(), file.reportId()));
        } catch (PersonalDataVault.ReportKeyErased e) {
            throw new ReportFileGone(file.reportId(), null, e.getMessage());
        }
        if (key.isPresent()) {
            return sealed(file, key.get());
        }
        if (file.location() == ReportFile.Location.DATABASE) {
            byte[] bytes = transactions.inTransaction(() -> catalog.content(file.reportId())).orElseThrow(
                    () -> new ReportFileCorrupted(file.reportId(), "the file of report " + file.reportId()
                            + " is recorded in the database but its bytes are missing"));
            requireMatches(file, bytes.length, sha256(bytes));
            return new Checked() {
                @Override
                public InputStream open(long offset, long length) {
                    return new ByteArrayInputStream(bytes, Math.toIntExact(offset), Math.toIntExact(length));
                }

                @Override
                public void close() {
                }
            };
        }
        StageReportFilesPort.Staged copy = archivedCopy(file);
        try {
            requireMatches(file, copy.bytes(), copy.sha256());
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return new Checked() {
            @Override
            public InputStream open(long offset, long length) throws IOException {
                return copy.open(offset, length);
            }

            @Override
            public void close() {
                copy.close();
            }
        };
    }

    /** The archive object of a file, copied to scratch space (hashed on the way by the store's own check). */
    private StageReportFilesPort.Staged archivedCopy(ReportFile file) {
        if (!archivedCopies.tryAcquire()) {
            throw new ReportFileUnavailable(file.reportId(), "this instance is already reading "
                    + MAX_ARCHIVED_COPIES + " report files from the archive store; retry later", null);
        }
        boolean handedOut = false;
        try {
            StageReportFilesPort.Staged copy = staging.stage(out -> {
                try (InputStream in = archive.open(file.archiveKey())) {
                    in.transferTo(out);
                }
            });
            handedOut = true;
            return releasingOnClose(copy);
        } catch (ArchiveContentMismatch e) {
            throw corrupted(file, "its archive object no longer matches the SHA-256 the store recorded (" + e.getMessage()
                    + ")");
        } catch (ArchiveObjectNotFound e) {
            throw corrupted(file, "its archive object " + file.archiveKey() + " is missing from the archive store");
        } catch (ArchiveUnavailable | IOException e) {
            throw new ReportFileUnavailable(file.reportId(), "the file of report " + file.reportId()
                    + " could not be read from the archive store just now; retry later", e);
        } finally {
            if (!handedOut) {
                archivedCopies.release();
            }
        }
    }

    /** The copy, whose first close also gives its place back. */
    private StageReportFilesPort.Staged releasingOnClose(StageReportFilesPort.Staged copy) {
        AtomicBoolean released = new AtomicBoolean();
        return new StageReportFilesPort.Staged() {
            @Override
            public long bytes() {
                return copy.bytes();
            }

            @Override
            public Hash sha256() {
                return copy.sha256();
            }

            @Override
            public InputStream open(long offset, long length) throws IOException {
                return copy.open(offset, length);
            }

            @Override
            public void close() {
                try {
                    copy.close();
                } finally {
                    if (released.compareAndSet(false, true)) {
                        archivedCopies.release();
                    }
                }
            }
        };
    }

    /**
     * A file stored encrypted: its stored bytes are fetched as any file's, then every segment is decrypted once, only
     * to hash the content against the record (the plaintext is not kept); a range is then decrypted as it is read.
     */
    private Checked sealed(ReportFile file, DataKey key) {
        long storedBytes = ReportFileCipher.sealedLength(file.bytes());
        ReportFileCipher.SealedSource source;
        Runnable cleanup;
        if (file.location() == ReportFile.Location.DATABASE) {
            byte[] bytes = transactions.inTransaction(() -> catalog.content(file.reportId())).orElseThrow(
                    () -> corrupted(file, "it is recorded in the database but its bytes are missing"));
            if (bytes.length != storedBytes) {
                throw corrupted(file, "its encrypted bytes (" + bytes.length + ") are not the " + storedBytes
                        + " its recorded size makes");
            }
            source = from -> new ByteArrayInputStream(bytes, Math.toIntExact(from), bytes.length - (int) from);
            cleanup = () -> { };
        } else {
            StageReportFilesPort.Staged copy = archivedCopy(file);
            if (copy.bytes() != storedBytes) {
                copy.close();
                throw corrupted(file, "its encrypted object (" + copy.bytes() + " bytes) is not the " + storedBytes
                        + " its recorded size makes");
            }
            source = from -> copy.open(from, copy.bytes() - from);
            cleanup = copy::close;
        }
        try (InputStream in = ReportFileCipher.opening(key, file.reportId(), file.bytes(), source, 0, file.bytes())) {
            Digesting content = new Digesting();
            try (Digesting.Stream hashed = content.around(OutputStream.nullOutputStream())) {
                in.transferTo(hashed);
            }
            requireMatches(file, content.bytes(), content.sha256());
        } catch (PersonalDataUnreadable e) {
            cleanup.run();
            throw corrupted(file, "its encrypted bytes do not open under the report's key (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            cleanup.run();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ReportFileUnavailable(file.reportId(), "the file of report " + file.reportId()
                    + " could not be read just now; retry later", e);
        }
        return new Checked() {
            @Override
            public InputStream open(long offset, long length) throws IOException {
                return ReportFileCipher.opening(key, file.reportId(), file.bytes(), source, offset, length);
            }

            @Override
            public void close() {
                cleanup.run();
            }
        };
    }

    /** Counts and hashes what passes through the streams it makes. */
    private static final class Digesting {
        private final MessageDigest digest = sha256Digest();
        private long bytes;

        Stream around(OutputStream out) {
            return new Stream(out);
        }

        long bytes() {
            return bytes;
        }

        Hash sha256() {
            return new Hash(digest.digest());
        }

        final class Stream extends java.io.FilterOutputStream {
            Stream(OutputStream out) {
                super(out);
            }

            @Override
            public void write(int b) throws IOException {
                digest.update((byte) b);
                bytes++;
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                digest.update(b, off, len);
                bytes += len;
                out.write(b, off, len);
            }
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void requireMatches(ReportFile file, long bytes, Hash sha256) {
        if (bytes != file.bytes() || !sha256.equals(file.sha256())) {
            throw corrupted(file, "its stored bytes (" + bytes + " bytes, sha256 " + sha256.hex() + ") do not match the"
                    + " digest recorded when it was generated (" + file.bytes() + " bytes, sha256 " + file.sha256().hex()
                    + ")");
        }
    }

    private static ReportFileCorrupted corrupted(ReportFile file, String what) {
        return new ReportFileCorrupted(file.reportId(), "the file of report " + file.reportId() + " failed its integrity"
                + " check and is not served: " + what + ". It was changed or damaged in storage; tell the operator."
                + " Requesting the report again gives a fresh file.");
    }

    private static Hash sha256(byte[] bytes) {
        return new Hash(sha256Digest().digest(bytes));
    }
}
