package io.stenographer.adapters.archive;

import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.ArchiveSegmentsPort.Lock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Archive segments as files under a root directory, for the embedded default run, evaluation and small
 * installs. The production path is {@link S3ObjectLockArchive}: this archive enforces its locks in its
 * own code, and anyone with enough rights on the directory (root, or the owner after a chmod) can still
 * delete or change the files. What it does guarantee is that this process never overwrites, never
 * deletes a locked object, and notices changed bytes.
 *
 * <p>Layout, for key {@code acme/segment-0-999.ndjson.gz}:
 * <pre>
 * root/acme/segment-0-999.ndjson.gz                   the object, r--r--r--
 * root/acme/segment-0-999.ndjson.gz.lock.json         its manifest: sha256, size, lockMode COMPLIANCE,
 *                                                     retainUntil, storedAt; written once, r--r--r--
 * root/acme/segment-0-999.ndjson.gz.legal-hold.json   legal hold state, only once one was set; rewritten
 *                                                     (atomically) by setLegalHold
 * </pre>
 *
 * <p>Every file is written to a temporary file in the same directory, flushed to disk (fsync), made
 * read-only and then published without replacing anything: as a hard link, which the file system refuses
 * atomically if the name is taken (where hard links are not supported, an existence check under the
 * archive's lock and an atomic rename). The manifest is published before the object, so an object never
 * exists without its lock record; a manifest left without an object by a crash is replaced by the next
 * put of that key. The directory is fsynced after each change. Mutations are serialised within this
 * archive instance; the directory is meant for one application instance. Keys map to paths, so one key
 * cannot be both an object and the "directory" of another (S3 allows {@code a} and {@code a/b} side by
 * side; here the second put fails with {@link ArchiveUnavailable}): choose keys that never nest in objects.
 *
 * <p>{@link #describe} reports the SHA-256 from the manifest without rereading the object; {@link #open}
 * hashes the bytes while they are read and fails at the end of the stream if they no longer match the
 * manifest.
 */
public final class LocalDirectoryArchive implements ArchiveSegmentsPort {

    static final String LOCK_MODE = "COMPLIANCE";

    private final Path root;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    /** An archive under {@code root}, using the system clock for retention. */
    public LocalDirectoryArchive(Path root) {
        this(root, Clock.systemUTC());
    }

    public LocalDirectoryArchive(Path root, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    /**
     * Creates the root directory if needed and proves it can hold write-once files: it must be a
     * directory, writable, and its file system must support read-only files (POSIX permissions or the
     * DOS read-only flag).
     */
    @Override
    public void checkWormCapable() {
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(root)) {
            throw new ArchiveNotWormCapable("local archive " + root + " exists but is not a directory; point"
                    + " stenographer.archive.local.dir at a directory (it is created if missing)");
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new ArchiveNotWormCapable("local archive directory " + root + " cannot be created: " + e);
        }
        Path probe = root.resolve(".worm-probe-" + UUID.randomUUID());
        try {
            writeDurably(probe, "probe".getBytes(StandardCharsets.US_ASCII));
            makeReadOnly(probe);
        } catch (UnsupportedOperationException e) {
            throw new ArchiveNotWormCapable("local archive " + root + " is on a file system that cannot mark files"
                    + " read-only");
        } catch (IOException e) {
            throw new ArchiveNotWormCapable("local archive directory " + root + " is not writable: " + e);
        } finally {
            try {
                deleteFile(probe);
            } catch (IOException e) {
                // a leftover probe file is harmless
            }
        }
    }

    @Override
    public StoredObject put(String key, byte[] content, String sha256Hex, Instant retainUntil) {
        String hex = ArchiveKeys.requireWrite(key, content, sha256Hex);
        requireFuture(retainUntil);
        Sha256.requireContentMatches(key, content, hex, "stored");
        return store(key, hex, content.length, retainUntil, tmp -> writeDurably(tmp, content));
    }

    /**
     * Copies the content to a hidden temporary file while hashing it, outside the archive's lock (it may be large),
     * and publishes it only if it has the announced size and SHA-256 ({@link ArchiveChecksumMismatch} otherwise,
     * nothing kept).
     */
    @Override
    public StoredObject put(String key, ContentSource content, long size, String sha256Hex, Instant retainUntil) {
        ArchiveKeys.requireValid(key);
        String hex = Sha256.requireHex(sha256Hex);
        if (content == null || size < 0) {
            throw new IllegalArgumentException("content: must be given, with its size");
        }
        requireFuture(retainUntil);
        return store(key, hex, size, retainUntil, tmp -> copyDurably(key, content, tmp, size, hex));
    }

    private void requireFuture(Instant retainUntil) {
        if (retainUntil == null || !retainUntil.isAfter(clock.instant())) {
            throw new IllegalArgumentException("retainUntil: must be in the future, was " + retainUntil);
        }
    }

    /** Writes an object's bytes into a new temporary file. */
    private interface ObjectWriter {
        void write(Path tmp) throws IOException;
    }

    private StoredObject store(String key, String hex, long size, Instant retainUntil, ObjectWriter writer) {
        Path object = objectPath(key);
        Path manifest = manifestPath(object);
        Path hold = legalHoldPath(object);
        Path tmpObject = null;
        Path tmpManifest = null;
        try {
            if (Files.exists(object, LinkOption.NOFOLLOW_LINKS)) {
                throw new ArchiveObjectExists(key);
            }
            Path dir = object.getParent();
            Files.createDirectories(dir);
            tmpObject = tempSibling(object);
            writer.write(tmpObject);
            makeReadOnly(tmpObject);
            lock.lock();
            try {
                if (Files.exists(object, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ArchiveObjectExists(key);
                }
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("key", key);
                fields.put("sha256", hex);
                fields.put("size", size);
                fields.put("lockMode", LOCK_MODE);
                fields.put("retainUntil", retainUntil.toString());
                fields.put("storedAt", clock.instant().toString());
                tmpManifest = tempSibling(manifest);
                writeDurably(tmpManifest, FlatJson.write(fields).getBytes(StandardCharsets.UTF_8));
                makeReadOnly(tmpManifest);
                // No object exists, so any manifest or hold file here is left from a crash or an interrupted
                // delete and protects nothing.
                deleteFile(hold);
                if (Files.exists(manifest, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(tmpManifest, manifest, StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } else {
                    publishWithoutReplacing(tmpManifest, manifest);
                }
                try {
                    publishWithoutReplacing(tmpObject, object);
                } catch (FileAlreadyExistsException e) {
                    throw new ArchiveObjectExists(key);
                }
                syncDirectory(dir);
            } finally {
                lock.unlock();
            }
        } catch (IOException e) {
            throw unavailable("store", key, e);
        } finally {
            deleteQuietly(tmpObject);
            deleteQuietly(tmpManifest);
        }
        return describe(key).orElseThrow(() -> new ArchiveUnavailable(
                "local archive object " + key + " was not found right after it was stored", null));
    }

    private static void copyDurably(String key, ContentSource content, Path tmp, long size, String hex)
            throws IOException {
        MessageDigest digest = Sha256.newDigest();
        long copied = 0;
        try (InputStream in = content.open();
                FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                copied += n;
            }
            channel.force(true);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (copied != size || !actual.equals(hex)) {
            throw new ArchiveChecksumMismatch(key, "archive object " + key + ": content does not match the given size"
                    + " and SHA-256 (given " + size + " bytes, " + hex + "; content has " + copied + " bytes, " + actual
                    + "); nothing was stored");
        }
    }

    @Override
    public Optional<StoredObject> describe(String key) {
        ArchiveKeys.requireValid(key);
        Path object = objectPath(key);
        try {
            if (!Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            long size = Files.size(object);
            Optional<Manifest> manifest = readManifest(object);
            boolean hold = readLegalHold(object);
            return Optional.of(new StoredObject(key, size, manifest.map(Manifest::sha256).orElse(null),
                    manifest.map(Manifest::lock).orElse(Lock.NONE), manifest.map(Manifest::retainUntil).orElse(null),
                    hold));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unavailable("describe", key, e);
        }
    }

    /**
     * The object's bytes, hashed while read: reading to the end throws an {@link IOException} if
     * they do not match the SHA-256 in the manifest.
     */
    @Override
    public InputStream open(String key) {
        ArchiveKeys.requireValid(key);
        Path object = objectPath(key);
        try {
            if (!Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS)) {
                throw new ArchiveObjectNotFound(key);
            }
            Optional<Manifest> manifest = readManifest(object);
            InputStream in = Files.newInputStream(object);
            return manifest.<InputStream>map(m -> new VerifyingInputStream(in, key, m.sha256())).orElse(in);
        } catch (NoSuchFileException e) {
            throw new ArchiveObjectNotFound(key);
        } catch (IOException e) {
            throw unavailable("open", key, e);
        }
    }

    @Override
    public StoredObject extendLock(String key, Instant retainUntil) {
        ArchiveKeys.requireValid(key);
        if (retainUntil == null) {
            throw new IllegalArgumentException("retainUntil: must be set");
        }
        Path object = objectPath(key);
        lock.lock();
        try {
            if (!Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS)) {
                throw new ArchiveObjectNotFound(key);
            }
            Optional<Manifest> current = readManifest(object);
            if (current.isPresent() && !current.get().retainUntil().isBefore(retainUntil)) {
                return describe(key).orElseThrow(() -> new ArchiveObjectNotFound(key));
            }
            // Only ever later than what is set (or set where a crash left none): an extension, never a shortening.
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("key", key);
            fields.put("sha256", current.isPresent() ? current.get().sha256() : Sha256.hex(Files.readAllBytes(object)));
            fields.put("size", Files.size(object));
            fields.put("lockMode", LOCK_MODE);
            fields.put("retainUntil", retainUntil.toString());
            fields.put("storedAt", clock.instant().toString());
            replaceSidecar(manifestPath(object), fields);
        } catch (IOException e) {
            throw unavailable("extend the lock of", key, e);
        } finally {
            lock.unlock();
        }
        return describe(key).orElseThrow(() -> new ArchiveObjectNotFound(key));
    }

    @Override
    public StoredObject setLegalHold(String key, boolean on) {
        ArchiveKeys.requireValid(key);
        Path object = objectPath(key);
        lock.lock();
        try {
            if (!Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS)) {
                throw new ArchiveObjectNotFound(key);
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("key", key);
            fields.put("legalHold", on);
            fields.put("changedAt", clock.instant().toString());
            replaceSidecar(legalHoldPath(object), fields);
        } catch (IOException e) {
            throw unavailable("set the legal hold of", key, e);
        } finally {
            lock.unlock();
        }
        return describe(key).orElseThrow(() -> new ArchiveObjectNotFound(key));
    }

    /** Replaces a sidecar file atomically: written to a temp sibling, fsynced, made read-only, then moved. */
    private static void replaceSidecar(Path sidecar, Map<String, Object> fields) throws IOException {
        Path tmp = tempSibling(sidecar);
        try {
            writeDurably(tmp, FlatJson.write(fields).getBytes(StandardCharsets.UTF_8));
            makeReadOnly(tmp);
            Files.move(tmp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(sidecar.getParent());
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public void delete(String key) {
        ArchiveKeys.requireValid(key);
        Path object = objectPath(key);
        lock.lock();
        try {
            Optional<StoredObject> current = describe(key);
            if (current.isEmpty()) {
                return;
            }
            StoredObject stored = current.get();
            if (stored.legalHold()) {
                throw new ArchiveDeletionRefused("archive object " + key + " is under a legal hold; it cannot be deleted");
            }
            if (stored.retainUntil() == null) {
                throw new ArchiveDeletionRefused("archive object " + key + " has no readable lock manifest ("
                        + manifestPath(object).getFileName() + "); refusing to delete it");
            }
            if (clock.instant().isBefore(stored.retainUntil())) {
                throw new ArchiveDeletionRefused("archive object " + key + " is retained (" + stored.lock()
                        + ") until " + stored.retainUntil() + "; it cannot be deleted before then");
            }
            // Object first: a manifest without its object is harmless, an object without its manifest is not.
            deleteFile(object);
            deleteFile(legalHoldPath(object));
            deleteFile(manifestPath(object));
            syncDirectory(object.getParent());
        } catch (IOException e) {
            throw unavailable("delete", key, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LocalDirectoryArchive[" + root + "]";
    }

    Path objectPath(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("archive key: resolves outside the archive directory: " + key);
        }
        return p;
    }

    static Path manifestPath(Path object) {
        return object.resolveSibling(object.getFileName() + ArchiveKeys.MANIFEST_SUFFIX);
    }

    static Path legalHoldPath(Path object) {
        return object.resolveSibling(object.getFileName() + ArchiveKeys.LEGAL_HOLD_SUFFIX);
    }

    private record Manifest(String sha256, String lockMode, Instant retainUntil) {

        /** This directory's manifest file says COMPLIANCE for a lock nobody can shorten, as S3 would. */
        Lock lock() {
            return LOCK_MODE.equals(lockMode) ? Lock.WRITE_ONCE : Lock.NONE;
        }
    }

    private Optional<Manifest> readManifest(Path object) throws IOException {
        Path manifest = manifestPath(object);
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            Map<String, String> fields = FlatJson.parse(Files.readString(manifest, StandardCharsets.UTF_8));
            String sha = fields.get("sha256");
            String until = fields.get("retainUntil");
            if (!Sha256.isHex(sha) || until == null) {
                return Optional.empty();
            }
            return Optional.of(new Manifest(sha.toLowerCase(Locale.ROOT), fields.get("lockMode"),
                    Instant.parse(until)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // A damaged manifest confirms nothing: the object is reported without lock or checksum.
            return Optional.empty();
        }
    }

    private boolean readLegalHold(Path object) throws IOException {
        Path hold = legalHoldPath(object);
        if (!Files.isRegularFile(hold, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            return "true".equals(FlatJson.parse(Files.readString(hold, StandardCharsets.UTF_8)).get("legalHold"));
        } catch (IllegalArgumentException e) {
            // An unreadable hold file is treated as a hold: never the weaker state by accident.
            return true;
        }
    }

    private static Path tempSibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    }

    private static void writeDurably(Path path, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /**
     * Makes {@code tmp} visible as {@code target} unless {@code target} exists. A hard link is created
     * atomically or not at all ({@code link(2)} fails with EEXIST), unlike a rename, which would replace.
     */
    private void publishWithoutReplacing(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof AccessDeniedException) {
                throw (AccessDeniedException) e;
            }
            // No hard links here: fall back to check-then-rename, safe under this archive's lock.
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static void makeReadOnly(Path path) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (posix != null) {
            posix.setPermissions(PosixFilePermissions.fromString("r--r--r--"));
            return;
        }
        DosFileAttributeView dos = Files.getFileAttributeView(path, DosFileAttributeView.class);
        if (dos == null) {
            throw new UnsupportedOperationException("no POSIX permissions and no DOS read-only flag");
        }
        dos.setReadOnly(true);
    }

    /** Deletes a (read-only) file if it exists; on DOS-like file systems the read-only flag is cleared first. */
    private static void deleteFile(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        DosFileAttributeView dos = Files.getFileAttributeView(path, DosFileAttributeView.class);
        if (dos != null && Files.getFileAttributeView(path, PosixFileAttributeView.class) == null) {
            dos.setReadOnly(false);
        }
        Files.deleteIfExists(path);
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            deleteFile(path);
        } catch (IOException e) {
            // a leftover hidden temp file is harmless and never read
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open or sync a directory; the files themselves were synced.
        }
    }

    private ArchiveUnavailable unavailable(String what, String key, IOException e) {
        return new ArchiveUnavailable("local archive could not " + what + " " + key + " under " + root + ": " + e, e);
    }
}
