package io.stenographer.bootstrap.privacy;

import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.port.out.KeyUnavailable;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.bootstrap.privacy.KeyringFile.Content;
import io.stenographer.bootstrap.privacy.KeyringFile.Generation;
import io.stenographer.bootstrap.security.OwnerOnlyFiles;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.PersonalDataUnreadable;
import io.stenographer.domain.privacy.PersonalValueCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * A {@link KeyManagementPort} on a local key file, for single-host and embedded installs (a cloud KMS can take its
 * place behind the same port). The file holds generations of a root secret and one blind-index secret.
 *
 * <p>Each tenant's key-encryption key (KEK) is derived, not stored: HKDF-SHA256 of the generation's secret with info
 * {@code "stenographer kek " + tenant}. A wrapped data key is AES-256-GCM under that KEK, with associated data binding
 * tenant and generation id, so a wrap copied to another tenant or relabelled with another generation does not open.
 * Destroying a generation removes its secret from the file: every data key wrapped under it, for every tenant, and
 * so every personal value those keys encrypt, is unreadable from then on (crypto-shredding).
 *
 * <p>The file is protected like the checkpoint signing key: generated on first start when allowed (owner-only from
 * the first byte, created atomically so two instances starting together agree on one keyring), refused when group or
 * others may read it, and encrypted when {@value KeyringPassphrase#SETTING} is set.
 *
 * <p>The file is the truth. {@link #rotate()} and {@link #destroyGeneration} change it atomically and this keyring at
 * once, so a running service forgets a destroyed secret immediately, not at its next start. Another process sharing
 * the file is seen on {@link #reload()} and, for a generation this keyring does not know yet, on the first unwrap
 * that needs it. Thread-safe: reads use one immutable snapshot; changes are serialized.
 *
 * <p>Blind indexes are computed on every ingested event, so each tenant's index key is derived once and kept (up to
 * {@value #MAX_CACHED_INDEX_KEYS} tenants, forgotten whenever the snapshot changes), and each thread reuses one HMAC.
 */
public final class LocalKeyring implements KeyManagementPort {

    private static final Logger LOG = Logger.getLogger(LocalKeyring.class);
    private static final String WHAT = "personal-data keyring";
    private static final String GENERATION_PREFIX = "local-";
    private static final String WRAP_CONTEXT = "stenographer.wrapped-data-key/v1";
    private static final String BLIND_INDEX_CONTEXT = "stenographer.blind-index/v1";
    private static final byte[] NO_SALT = new byte[0];
    private static final String HMAC = "HmacSHA256";
    /** Derived blind-index keys kept; past this many tenants the cache starts over. */
    static final int MAX_CACHED_INDEX_KEYS = 10_000;
    /** One HMAC-SHA256 per thread, with the index key it was last initialised with. */
    private static final ThreadLocal<IndexMac> INDEX_MACS = ThreadLocal.withInitial(IndexMac::new);

    /** What was read, and which version of the file it was read from (an atomic replace makes a new file key). */
    private record Snapshot(Content content, boolean encrypted, Object fileKey, FileTime modified) {
    }

    /** Per-tenant blind-index keys derived from one content's blind-index secret; valid only for that content. */
    private record IndexKeys(Content source, ConcurrentHashMap<String, SecretKeySpec> byTenant) {
    }

    private static final class IndexMac {
        private final Mac mac;
        private SecretKeySpec key;

        IndexMac() {
            try {
                mac = Mac.getInstance(HMAC);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is required by every Java platform", e);
            }
        }

        /** HMAC of {@code message} under {@code key}; a Mac is back at its keyed start after doFinal. */
        byte[] mac(SecretKeySpec key, byte[] message) {
            try {
                if (this.key != key) {
                    this.key = null;
                    mac.init(key);
                    this.key = key;
                }
                return mac.doFinal(message);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is required by every Java platform", e);
            } catch (RuntimeException e) {
                this.key = null; // initialised afresh next time
                throw e;
            }
        }
    }

    private final Path file;
    private final Optional<KeyringPassphrase> passphrase;
    private final SecureRandom random;
    private volatile Snapshot snapshot;
    private volatile IndexKeys indexKeys;

    private LocalKeyring(Path file, Optional<KeyringPassphrase> passphrase, SecureRandom random) {
        this.file = file;
        this.passphrase = passphrase;
        this.random = random;
    }

    /**
     * The keyring in {@code file}, generated first if it is missing and that is allowed.
     *
     * @throws IllegalStateException missing and not to be generated, readable by group or others, damaged, or
     *         encrypted and not opened by the passphrase
     */
    public static LocalKeyring load(Path file, boolean generateIfMissing, Optional<KeyringPassphrase> passphrase) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(passphrase, "passphrase");
        LocalKeyring keyring = new LocalKeyring(file, passphrase, new SecureRandom());
        if (!Files.exists(file)) {
            if (!generateIfMissing) {
                throw new IllegalStateException(WHAT + " " + file + " does not exist; configure"
                        + " stenographer.privacy.keyring-file or restore it from backup");
            }
            try {
                generate(file, passphrase, keyring.random);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + WHAT + " " + file, e);
            }
        }
        keyring.scrubLeftOver();
        keyring.snapshot = keyring.read();
        if (passphrase.isPresent() && !keyring.snapshot.encrypted()) {
            // At once, not on the next rotation months later: a plain file restored from an old backup, or put in
            // place by whoever could write it, must not go on serving as it is.
            keyring.save(keyring.snapshot.content());
            LOG.warnf("The %s %s was not encrypted although %s is set; it is encrypted now (the plain file's bytes"
                    + " were overwritten as far as the file system allows)", WHAT, file, KeyringPassphrase.SETTING);
        }
        return keyring;
    }

    /**
     * Reads the file again if it changed since it was last read (another process rotated or destroyed a
     * generation). Operators' tools and a periodic job call it so that a generation destroyed elsewhere stops
     * unwrapping here too.
     *
     * @throws IllegalStateException the file is damaged, loose or not opened by the passphrase; the keyring keeps
     *         what it had
     */
    public synchronized LocalKeyring reload() {
        Snapshot current = snapshot;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (Objects.equals(attributes.fileKey(), current.fileKey())
                    && attributes.lastModifiedTime().equals(current.modified())) {
                return this;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WHAT + " " + file, e);
        }
        snapshot = read();
        return this;
    }

    private Snapshot read() {
        try {
            OwnerOnlyFiles.refuseLoosePermissions(file, WHAT);
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            byte[] bytes = Files.readAllBytes(file);
            try {
                return new Snapshot(KeyringFile.read(bytes, passphrase), KeyringFile.isEncrypted(bytes),
                        attributes.fileKey(), attributes.lastModifiedTime());
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot read " + WHAT + " " + file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WHAT + " " + file, e);
        }
    }

    private static void generate(Path file, Optional<KeyringPassphrase> passphrase, SecureRandom random)
            throws IOException {
        Content content = new Content(List.of(newGeneration(GENERATION_PREFIX + 1, random)), secret(random));
        byte[] bytes = KeyringFile.write(content, passphrase, random);
        try {
            if (OwnerOnlyFiles.createExclusively(file, bytes)) {
                LOG.infof("Generated a new %s at %s (mode 0600, %s)", WHAT, file, passphrase.isPresent()
                        ? "encrypted with the configured passphrase" : "not encrypted");
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public WrappedDataKey wrap(TenantId tenant, DataKey key) {
        Objects.requireNonNull(key, "key");
        Generation current = current();
        byte[] plain = key.bytes();
        try {
            return new WrappedDataKey(current.id(), PersonalValueCipher.seal(kek(tenant, current),
                    wrapBinding(tenant, current.id()), plain, random));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public DataKey unwrap(TenantId tenant, WrappedDataKey wrapped) {
        Objects.requireNonNull(tenant, "tenant");
        String id = wrapped.keyEncryptionKeyId();
        Optional<Generation> known = generation(id);
        if (known.isEmpty()) {
            // Another instance may have rotated since this one read the file.
            try {
                known = reload().generation(id);
            } catch (IllegalStateException | UncheckedIOException e) {
                LOG.warnf("Cannot re-read the %s %s for generation %s: %s", WHAT, file, id, e.getMessage());
            }
        }
        Generation generation = known.orElseThrow(
                () -> new KeyUnavailable(tenant, id, "this keyring has no such generation"));
        if (generation.destroyed()) {
            throw new KeyUnavailable(tenant, id, "the generation was destroyed at " + generation.destroyedAt());
        }
        byte[] plain = null;
        try {
            plain = PersonalValueCipher.open(kek(tenant, generation), wrapBinding(tenant, id), wrapped.bytes());
            return DataKey.of(plain);
        } catch (PersonalDataUnreadable | IllegalArgumentException e) {
            throw new KeyUnavailable(tenant, id, "the wrapped key was altered or belongs to another tenant");
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    @Override
    public String currentKeyEncryptionKeyId(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return current().id();
    }

    /** Keyed by a per-tenant key derived from a secret that no rotation changes, so stored indexes stay valid. */
    @Override
    public byte[] blindIndex(TenantId tenant, String purpose, String value) {
        Objects.requireNonNull(tenant, "tenant");
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("a blind index needs a purpose");
        }
        Objects.requireNonNull(value, "value");
        // Purpose and value length-prefixed: ("a", "bc") and ("ab", "c") index differently.
        return INDEX_MACS.get().mac(indexKey(tenant),
                PersonalValueCipher.binding(BLIND_INDEX_CONTEXT, List.of(purpose, value)));
    }

    /**
     * The tenant's blind-index key, HKDF-SHA256 of the blind-index secret with info
     * {@code "stenographer blind-index " + tenant}: derived once per snapshot, then taken from the cache.
     */
    private SecretKeySpec indexKey(TenantId tenant) {
        Content content = snapshot.content();
        IndexKeys keys = indexKeys;
        if (keys == null || keys.source() != content) {
            // A new snapshot (reload, rotation, destruction): start over, so no key outlives the secret it came from.
            keys = new IndexKeys(content, new ConcurrentHashMap<>());
            indexKeys = keys;
        }
        SecretKeySpec key = keys.byTenant().get(tenant.value());
        if (key != null) {
            return key;
        }
        byte[] derived = Hkdf.sha256(NO_SALT, content.blindIndexSecret(),
                ("stenographer blind-index " + tenant.value()).getBytes(StandardCharsets.UTF_8), Hkdf.HASH_LENGTH);
        try {
            key = new SecretKeySpec(derived, HMAC); // keeps its own copy
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
        if (keys.byTenant().size() >= MAX_CACHED_INDEX_KEYS) {
            keys.byTenant().clear();
        }
        SecretKeySpec raced = keys.byTenant().putIfAbsent(tenant.value(), key);
        return raced != null ? raced : key;
    }

    /** How many tenants' blind-index keys are cached now (for tests). */
    int cachedIndexKeys() {
        IndexKeys keys = indexKeys;
        return keys == null || keys.source() != snapshot.content() ? 0 : keys.byTenant().size();
    }

    /** Adds a new current generation and saves the file; earlier generations still unwrap what they wrapped. */
    public synchronized LocalKeyring rotate() {
        Content content = reload().snapshot.content();
        List<Generation> generations = new ArrayList<>(content.generations());
        Generation next = newGeneration(nextId(generations), random);
        generations.add(next);
        save(new Content(generations, content.blindIndexSecret()));
        LOG.infof("Rotated the %s %s: new key-encryption key generation %s", WHAT, file, next.id());
        return this;
    }

    /**
     * Destroys a generation that is not the current one: its secret leaves the file (the previous file's bytes are
     * overwritten as far as the file system allows), and every data key wrapped under it is unavailable from then on.
     * Destroying a destroyed generation changes nothing.
     *
     * @throws IllegalArgumentException the current or an unknown generation
     */
    public synchronized LocalKeyring destroyGeneration(String id) {
        Objects.requireNonNull(id, "id");
        Content content = reload().snapshot.content();
        if (current().id().equals(id)) {
            throw new IllegalArgumentException("generation " + id + " is the current key-encryption key; rotate"
                    + " first, then destroy it");
        }
        List<Generation> generations = new ArrayList<>(content.generations());
        int index = generations.stream().map(Generation::id).toList().indexOf(id);
        if (index < 0) {
            throw new IllegalArgumentException("the " + WHAT + " has no generation " + id);
        }
        if (generations.get(index).destroyed()) {
            return this;
        }
        Generation destroyed = generations.get(index);
        generations.set(index, new Generation(id, null, destroyed.createdAt(), Instant.now()));
        save(new Content(generations, content.blindIndexSecret()));
        LOG.infof("Destroyed key-encryption key generation %s of the %s %s; personal data whose keys were wrapped"
                + " under it is unreadable", id, WHAT, file);
        return this;
    }

    /**
     * The generations, oldest first, with when each was created, retired (the next one's creation) and destroyed;
     * no secrets. What the key-encryption key schedule decides on.
     */
    public List<io.stenographer.application.port.out.RotateKeyEncryptionKeysPort.Generation> generationHistory() {
        List<Generation> all = snapshot.content().generations();
        List<io.stenographer.application.port.out.RotateKeyEncryptionKeysPort.Generation> history =
                new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Generation generation = all.get(i);
            history.add(new io.stenographer.application.port.out.RotateKeyEncryptionKeysPort.Generation(
                    generation.id(), generation.createdAt(), i + 1 < all.size() ? all.get(i + 1).createdAt() : null,
                    generation.destroyed()));
        }
        return history;
    }

    /** Ids of the generations, oldest first, with those destroyed. For operators' listings; no secrets. */
    public List<String> generations() {
        return snapshot.content().generations().stream().map(Generation::toString).toList();
    }

    /**
     * Writes the file, then reads it back, so the snapshot is exactly what is on disk (and its version). The file it
     * replaces is overwritten every time, not only when a generation is destroyed: every earlier file holds the
     * secrets of every generation it knew, so a copy left by a rotation would outlive a later destruction.
     */
    private void save(Content next) {
        byte[] bytes = KeyringFile.write(next, passphrase, random);
        Path previous = previousFile();
        try {
            // A second name for the old file, so its blocks can be overwritten once the new file replaced it.
            Files.deleteIfExists(previous);
            Files.createLink(previous, file);
            OwnerOnlyFiles.replaceAtomically(file, bytes);
            overwriteAndDelete(previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + WHAT + " " + file, e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        snapshot = read();
    }

    private Path previousFile() {
        return file.resolveSibling("." + file.getFileName() + ".previous");
    }

    /** The old file of a save that stopped half way (the process died between replacing and scrubbing). */
    private void scrubLeftOver() {
        Path previous = previousFile();
        if (Files.exists(previous, LinkOption.NOFOLLOW_LINKS)) {
            try {
                overwriteAndDelete(previous);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot overwrite the old " + WHAT + " file " + previous, e);
            }
        }
    }

    /**
     * Best effort: zeroes the old file in place before unlinking it. Copy-on-write file systems, SSD wear levelling
     * and backups may still hold the old bytes; shredding is complete once backups of the keyring have expired.
     */
    private static void overwriteAndDelete(Path previous) throws IOException {
        try (FileChannel channel = FileChannel.open(previous, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(channel.size(), Integer.MAX_VALUE));
            while (zeros.hasRemaining()) {
                channel.write(zeros);
            }
            channel.force(true);
        } finally {
            Files.deleteIfExists(previous);
        }
    }

    private Optional<Generation> generation(String id) {
        return snapshot.content().generations().stream().filter(g -> g.id().equals(id)).findFirst();
    }

    private Generation current() {
        List<Generation> generations = snapshot.content().generations();
        return generations.get(generations.size() - 1);
    }

    private static DataKey kek(TenantId tenant, Generation generation) {
        byte[] derived = Hkdf.sha256(NO_SALT, generation.secret(),
                ("stenographer kek " + tenant.value()).getBytes(StandardCharsets.UTF_8), DataKey.LENGTH);
        try {
            return DataKey.of(derived);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    private static byte[] wrapBinding(TenantId tenant, String generationId) {
        return PersonalValueCipher.binding(WRAP_CONTEXT, List.of(tenant.value(), generationId));
    }

    /** {@code local-N} with N one more than the highest so far. */
    private static String nextId(List<Generation> generations) {
        long highest = 0;
        for (Generation generation : generations) {
            String id = generation.id();
            if (id.startsWith(GENERATION_PREFIX) && id.length() > GENERATION_PREFIX.length()
                    && id.length() < GENERATION_PREFIX.length() + 10
                    && id.substring(GENERATION_PREFIX.length()).chars().allMatch(Character::isDigit)) {
                highest = Math.max(highest, Long.parseLong(id.substring(GENERATION_PREFIX.length())));
            }
        }
        return GENERATION_PREFIX + (highest + 1);
    }

    private static Generation newGeneration(String id, SecureRandom random) {
        return new Generation(id, secret(random), Instant.now(), null);
    }

    private static byte[] secret(SecureRandom random) {
        byte[] secret = new byte[DataKey.LENGTH];
        random.nextBytes(secret);
        return secret;
    }

    @Override
    public String toString() {
        return "LocalKeyring[" + file + ", current " + current().id() + "]";
    }
}
