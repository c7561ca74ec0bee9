package io.stenographer.bootstrap.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.KeyUnavailable;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.bootstrap.security.OwnerOnlyFiles;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local keyring on real files: wrapping, rotation, destruction, blind indexes and the file's protection. */
class LocalKeyringTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Optional<KeyringPassphrase> PASSPHRASE =
            KeyringPassphrase.of(Optional.of("correct horse battery staple"));

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("keys/personal-data-keyring.json");
    }

    private LocalKeyring generated() {
        return LocalKeyring.load(file(), true, Optional.empty());
    }

    @Test
    void aKeyringIsGeneratedOwnerOnlyOnFirstStartAndReadBackAfterwards() throws IOException {
        LocalKeyring keyring = generated();
        DataKey key = DataKey.generate(RANDOM);

        WrappedDataKey wrapped = keyring.wrap(ACME, key);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(wrapped.keyEncryptionKeyId()).isEqualTo("local-1").isEqualTo(keyring.currentKeyEncryptionKeyId(ACME));
        assertThat(keyring.unwrap(ACME, wrapped)).isEqualTo(key);
        assertThat(LocalKeyring.load(file(), false, Optional.empty()).unwrap(ACME, wrapped)).isEqualTo(key);
        assertThat(HexFormat.of().formatHex(wrapped.bytes())).doesNotContain(HexFormat.of().formatHex(key.bytes()));
    }

    @Test
    void aMissingKeyringIsNotGeneratedUnlessAllowed() {
        assertThatThrownBy(() -> LocalKeyring.load(file(), false, Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not exist");
        assertThat(file()).doesNotExist();
    }

    @Test
    void aKeyWrappedForOneTenantDoesNotUnwrapForAnother() {
        LocalKeyring keyring = generated();
        WrappedDataKey wrapped = keyring.wrap(ACME, DataKey.generate(RANDOM));

        assertThatThrownBy(() -> keyring.unwrap(GLOBEX, wrapped)).isInstanceOf(KeyUnavailable.class)
                .hasMessage("data key of tenant globex under key-encryption key local-1 is unavailable: the wrapped"
                        + " key was altered or belongs to another tenant")
                .satisfies(e -> assertThat(((KeyUnavailable) e).tenant()).isEqualTo(GLOBEX));
    }

    @Test
    void anAlteredOrRelabelledWrapDoesNotUnwrap() {
        LocalKeyring keyring = generated().rotate();
        WrappedDataKey wrapped = keyring.wrap(ACME, DataKey.generate(RANDOM));
        byte[] altered = wrapped.bytes();
        altered[altered.length - 1] ^= 1;

        assertThatThrownBy(() -> keyring.unwrap(ACME, new WrappedDataKey("local-2", altered)))
                .isInstanceOf(KeyUnavailable.class);
        assertThatThrownBy(() -> keyring.unwrap(ACME, new WrappedDataKey("local-1", wrapped.bytes())))
                .isInstanceOf(KeyUnavailable.class);
        assertThatThrownBy(() -> keyring.unwrap(ACME, new WrappedDataKey("local-9", wrapped.bytes())))
                .isInstanceOf(KeyUnavailable.class).hasMessageContaining("no such generation");
    }

    @Test
    void afterARotationOldWrapsStillUnwrapAndNewWrapsUseTheNewGeneration() {
        LocalKeyring keyring = generated();
        DataKey old = DataKey.generate(RANDOM);
        WrappedDataKey oldWrap = keyring.wrap(ACME, old);

        LocalKeyring rotated = keyring.rotate();
        DataKey fresh = DataKey.generate(RANDOM);
        WrappedDataKey newWrap = rotated.wrap(ACME, fresh);

        assertThat(rotated.currentKeyEncryptionKeyId(ACME)).isEqualTo("local-2");
        assertThat(newWrap.keyEncryptionKeyId()).isEqualTo("local-2");
        LocalKeyring reloaded = LocalKeyring.load(file(), false, Optional.empty());
        assertThat(reloaded.unwrap(ACME, oldWrap)).isEqualTo(old);
        assertThat(reloaded.unwrap(ACME, newWrap)).isEqualTo(fresh);
        assertThat(reloaded.generations()).containsExactly("Generation[local-1]", "Generation[local-2]");
        assertThat(reloaded.rotate().currentKeyEncryptionKeyId(ACME)).isEqualTo("local-3");
    }

    @Test
    void aDestroyedGenerationShredsEveryKeyWrappedUnderIt() throws IOException {
        LocalKeyring keyring = generated();
        String firstSecret = secretOf(Files.readString(file()), "local-1");
        WrappedDataKey acme = keyring.wrap(ACME, DataKey.generate(RANDOM));
        WrappedDataKey globex = keyring.wrap(GLOBEX, DataKey.generate(RANDOM));
        LocalKeyring rotated = keyring.rotate();
        DataKey kept = DataKey.generate(RANDOM);
        WrappedDataKey keptWrap = rotated.wrap(ACME, kept);

        LocalKeyring after = rotated.destroyGeneration("local-1");

        for (LocalKeyring view : List.of(after, LocalKeyring.load(file(), false, Optional.empty()))) {
            assertThatThrownBy(() -> view.unwrap(ACME, acme)).isInstanceOf(KeyUnavailable.class)
                    .hasMessageContaining("local-1").hasMessageContaining("destroyed at");
            assertThatThrownBy(() -> view.unwrap(GLOBEX, globex)).isInstanceOf(KeyUnavailable.class);
            assertThat(view.unwrap(ACME, keptWrap)).isEqualTo(kept);
        }
        String content = Files.readString(file());
        assertThat(content).doesNotContain(firstSecret).contains("\"destroyedAt\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        try (var files = Files.list(file().getParent())) {
            assertThat(files).containsExactly(file());
        }
        assertThat(after.destroyGeneration("local-1")).isSameAs(after);
    }

    @Test
    void anotherInstanceOnTheSameFileSeesRotationsAndDestructions() {
        LocalKeyring first = generated();
        LocalKeyring second = LocalKeyring.load(file(), false, Optional.empty());
        WrappedDataKey old = second.wrap(ACME, DataKey.generate(RANDOM));
        DataKey fresh = DataKey.generate(RANDOM);

        WrappedDataKey newWrap = first.rotate().wrap(ACME, fresh);
        assertThat(second.unwrap(ACME, newWrap)).isEqualTo(fresh); // an unknown generation: the file is read again
        assertThat(second.currentKeyEncryptionKeyId(ACME)).isEqualTo("local-2");

        first.destroyGeneration("local-1");
        assertThatThrownBy(() -> second.reload().unwrap(ACME, old)).isInstanceOf(KeyUnavailable.class)
                .hasMessageContaining("destroyed");
        assertThat(second.rotate().currentKeyEncryptionKeyId(ACME)).isEqualTo("local-3");
        assertThat(first.reload().generations()).hasSize(3);
    }

    @Test
    void aKeyringDamagedWhileRunningKeepsWhatItHad() throws IOException {
        LocalKeyring keyring = generated();
        DataKey key = DataKey.generate(RANDOM);
        WrappedDataKey wrapped = keyring.wrap(ACME, key);
        OwnerOnlyFiles.replaceAtomically(file(), "{}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(keyring::reload).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a stenographer-keyring/v1 document");
        assertThat(keyring.unwrap(ACME, wrapped)).isEqualTo(key);
    }

    @Test
    void theCurrentOrAnUnknownGenerationCannotBeDestroyed() {
        LocalKeyring keyring = generated();

        assertThatThrownBy(() -> keyring.destroyGeneration("local-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("current");
        assertThatThrownBy(() -> keyring.destroyGeneration("local-7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no generation local-7");
    }

    @Test
    void blindIndexesAreStableAcrossRotationAndDifferPerTenantPurposeAndValue() {
        LocalKeyring keyring = generated();
        byte[] index = keyring.blindIndex(ACME, "actor.id", "alice@example.com");

        LocalKeyring rotated = keyring.rotate().rotate().destroyGeneration("local-1");

        assertThat(index).hasSize(32);
        assertThat(rotated.blindIndex(ACME, "actor.id", "alice@example.com")).isEqualTo(index);
        assertThat(LocalKeyring.load(file(), false, Optional.empty()).blindIndex(ACME, "actor.id",
                "alice@example.com")).isEqualTo(index);
        assertThat(keyring.blindIndex(GLOBEX, "actor.id", "alice@example.com")).isNotEqualTo(index);
        assertThat(keyring.blindIndex(ACME, "resource.id", "alice@example.com")).isNotEqualTo(index);
        assertThat(keyring.blindIndex(ACME, "actor.id", "bob@example.com")).isNotEqualTo(index);
        assertThat(keyring.blindIndex(ACME, "actor.i", "dalice@example.com")).isNotEqualTo(index);
    }

    /**
     * Pinned: stored blind indexes must never change. Blind-index secret 0x00..0x1f; expected values computed
     * independently (Python hmac/hashlib: HKDF-SHA256 with empty salt, then HMAC-SHA256 of the binding).
     */
    @Test
    void blindIndexesMatchPinnedVectorsBeforeAndAfterTheirKeyIsCached() throws IOException {
        LocalKeyring keyring = vectorKeyring(BLIND_INDEX_SECRET_1);

        for (int i = 0; i < 3; i++) {
            assertThat(HexFormat.of().formatHex(keyring.blindIndex(ACME, "actor.id", "alice@example.com")))
                    .isEqualTo(ACME_VECTOR_1);
            assertThat(HexFormat.of().formatHex(keyring.blindIndex(GLOBEX, "subject", "Zoë")))
                    .isEqualTo("bcca43696d71d196b971b94b3882a00ae01a042b117f957ab077b8c1b1800f33");
        }
        assertThat(keyring.cachedIndexKeys()).isEqualTo(2);
    }

    @Test
    void cachedIndexKeysAreDroppedWhenTheKeyringChanges() throws IOException {
        LocalKeyring keyring = vectorKeyring(BLIND_INDEX_SECRET_1);
        assertThat(HexFormat.of().formatHex(keyring.blindIndex(ACME, "actor.id", "alice@example.com")))
                .isEqualTo(ACME_VECTOR_1);

        // Not something an operator does (the secret never rotates), but a keyring must follow its file.
        OwnerOnlyFiles.replaceAtomically(file(), vectorFile(BLIND_INDEX_SECRET_2).getBytes(StandardCharsets.UTF_8));
        keyring.reload();

        assertThat(keyring.cachedIndexKeys()).isZero();
        assertThat(HexFormat.of().formatHex(keyring.blindIndex(ACME, "actor.id", "alice@example.com")))
                .isEqualTo("4379944ce7b8e2143a993d52b8563d4e0f3cbb4d6979b8629d37152d4c15980b");

        keyring.rotate(); // a rotation keeps the secret: same index, from a fresh cache
        assertThat(keyring.cachedIndexKeys()).isZero();
        assertThat(HexFormat.of().formatHex(keyring.blindIndex(ACME, "actor.id", "alice@example.com")))
                .isEqualTo("4379944ce7b8e2143a993d52b8563d4e0f3cbb4d6979b8629d37152d4c15980b");
    }

    @Test
    void theIndexKeyCacheIsBoundedAndStaysCorrectPastItsBound() {
        LocalKeyring keyring = generated();
        LocalKeyring other = LocalKeyring.load(file(), false, Optional.empty());
        byte[] first = keyring.blindIndex(TenantId.of("tenant-0"), "subject", "alice");

        for (int i = 0; i < LocalKeyring.MAX_CACHED_INDEX_KEYS + 50; i++) {
            keyring.blindIndex(TenantId.of("tenant-" + i), "subject", "alice");
            assertThat(keyring.cachedIndexKeys()).isLessThanOrEqualTo(LocalKeyring.MAX_CACHED_INDEX_KEYS);
        }

        assertThat(keyring.blindIndex(TenantId.of("tenant-0"), "subject", "alice")).isEqualTo(first)
                .isEqualTo(other.blindIndex(TenantId.of("tenant-0"), "subject", "alice"));
        assertThat(keyring.blindIndex(TenantId.of("tenant-10049"), "subject", "alice"))
                .isEqualTo(other.blindIndex(TenantId.of("tenant-10049"), "subject", "alice"));
    }

    @Test
    void threadsSharingAKeyringComputeTheSameIndexesAsOneThread() throws Exception {
        LocalKeyring keyring = generated();
        Map<String, byte[]> expected = new HashMap<>();
        LocalKeyring reference = LocalKeyring.load(file(), false, Optional.empty());
        for (int t = 0; t < 20; t++) {
            for (int v = 0; v < 10; v++) {
                expected.put(t + "/" + v, reference.blindIndex(TenantId.of("t" + t), "subject", "v" + v));
            }
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int offset = thread;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        int t = (i * 7 + offset) % 20;
                        int v = (i + offset) % 10;
                        assertThat(keyring.blindIndex(TenantId.of("t" + t), "subject", "v" + v))
                                .isEqualTo(expected.get(t + "/" + v));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twoKeyringsGeneratedSeparatelyDoNotShareKeys() {
        LocalKeyring one = generated();
        LocalKeyring other = LocalKeyring.load(dir.resolve("other.json"), true, Optional.empty());
        WrappedDataKey wrapped = one.wrap(ACME, DataKey.generate(RANDOM));

        assertThatThrownBy(() -> other.unwrap(ACME, wrapped)).isInstanceOf(KeyUnavailable.class);
        assertThat(other.blindIndex(ACME, "actor.id", "alice")).isNotEqualTo(one.blindIndex(ACME, "actor.id", "alice"));
    }

    @Test
    void aKeyringGroupOrOthersMayReadIsRefused() throws IOException {
        generated();
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> LocalKeyring.load(file(), true, Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("personal-data keyring " + file() + " is readable by group or others; chmod 600 it");
    }

    @Test
    void withAPassphraseTheFileIsEncryptedAndOnlyThatPassphraseOpensIt() throws IOException {
        LocalKeyring keyring = LocalKeyring.load(file(), true, PASSPHRASE);
        DataKey key = DataKey.generate(RANDOM);
        WrappedDataKey wrapped = keyring.wrap(ACME, key);

        String content = Files.readString(file());
        assertThat(content).contains("\"encryption\"", "PBKDF2-HMAC-SHA256").doesNotContain("secret", "local-1");
        assertThat(LocalKeyring.load(file(), false, PASSPHRASE).unwrap(ACME, wrapped)).isEqualTo(key);
        assertThatThrownBy(() -> LocalKeyring.load(file(), false, Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(KeyringPassphrase.SETTING);
        assertThatThrownBy(() -> LocalKeyring.load(file(), false, KeyringPassphrase.of(Optional.of("wrong"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot read personal-data keyring " + file()
                        + ": cannot decrypt it: wrong passphrase or damaged file");
    }

    @Test
    void anEncryptedKeyringStaysEncryptedThroughRotationAndDestruction() throws IOException {
        LocalKeyring keyring = LocalKeyring.load(file(), true, PASSPHRASE);
        WrappedDataKey old = keyring.wrap(ACME, DataKey.generate(RANDOM));

        keyring.rotate().destroyGeneration("local-1");

        assertThat(Files.readString(file())).contains("\"encryption\"").doesNotContain("destroyedAt");
        LocalKeyring reloaded = LocalKeyring.load(file(), false, PASSPHRASE);
        assertThat(reloaded.currentKeyEncryptionKeyId(ACME)).isEqualTo("local-2");
        assertThatThrownBy(() -> reloaded.unwrap(ACME, old)).isInstanceOf(KeyUnavailable.class);
    }

    @Test
    void aPlainKeyringLoadedWithAPassphraseIsEncryptedAtOnce() throws IOException {
        WrappedDataKey wrapped = generated().wrap(ACME, DataKey.generate(RANDOM));
        String plainSecret = secretOf(Files.readString(file()), "local-1");

        LocalKeyring keyring = LocalKeyring.load(file(), false, PASSPHRASE);

        // Not on the next rotation, months later: a plain file restored or put in place must not serve as it is.
        assertThat(Files.readString(file())).contains("\"encryption\"").doesNotContain(plainSecret);
        assertThat(keyring.unwrap(ACME, wrapped)).isNotNull();
        assertThat(LocalKeyring.load(file(), false, PASSPHRASE).unwrap(ACME, wrapped)).isNotNull();
        try (var files = Files.list(file().getParent())) {
            assertThat(files).as("no copy of the plain file is left").containsExactly(file());
        }
    }

    @Test
    void theOldFileOfAnInterruptedSaveIsScrubbedAtTheNextStart() throws IOException {
        generated();
        Path leftOver = file().resolveSibling("." + file().getFileName() + ".previous");
        Files.copy(file(), leftOver);

        LocalKeyring.load(file(), false, Optional.empty());

        assertThat(leftOver).doesNotExist();
    }

    @Test
    void aDamagedFileStopsTheStartWithAClearReasonAndNoSecret() throws IOException {
        generated();
        String good = Files.readString(file());
        String secret = secretOf(good, "local-1");

        assertDamaged("{\"format\":", "not valid JSON (at offset 10)");
        assertDamaged("[]", "not a stenographer-keyring/v1 document");
        assertDamaged(good.replace(secret, secret.substring(4)), "\"secret\" must be base64 of 32 bytes");
        assertDamaged(good.replace("\"createdAt\"", "\"created\""), "\"createdAt\" must be a string");
        assertDamaged(good.replace("\"blindIndexSecret\"", "\"other\""), "\"blindIndexSecret\" must be a string");

        LocalKeyring.load(dir.resolve("encrypted.json"), true, PASSPHRASE);
        String encrypted = Files.readString(dir.resolve("encrypted.json"));
        Matcher sealed = Pattern.compile("\"sealed\":\"([^\"]+)\"").matcher(encrypted);
        assertThat(sealed.find()).isTrue();
        byte[] bytes = Base64.getDecoder().decode(sealed.group(1));
        bytes[bytes.length / 2] ^= 1;
        write(encrypted.replace(sealed.group(1), Base64.getEncoder().encodeToString(bytes)));
        assertThatThrownBy(() -> LocalKeyring.load(file(), false, PASSPHRASE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong passphrase or damaged file");
    }

    private void assertDamaged(String content, String reason) throws IOException {
        write(content);
        assertThatThrownBy(() -> LocalKeyring.load(file(), false, Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot read personal-data keyring " + file() + ": " + reason);
    }

    private void write(String content) throws IOException {
        Files.writeString(file(), content, StandardCharsets.UTF_8);
    }

    private static final String BLIND_INDEX_SECRET_1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // 0x00..0x1f
    private static final String BLIND_INDEX_SECRET_2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="; // 0x20..0x3f
    private static final String ACME_VECTOR_1 = "e4b82d92146cc635d1d61f42baacc6b12b000cceb9201471638f35cf70cd4e8e";

    /** A plain keyring file with a known blind-index secret. */
    private static String vectorFile(String blindIndexSecret) {
        return "{\"format\":\"stenographer-keyring/v1\",\"generations\":[{\"id\":\"local-1\","
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"secret\":\"" + BLIND_INDEX_SECRET_2 + "\"}],"
                + "\"blindIndexSecret\":\"" + blindIndexSecret + "\"}";
    }

    private LocalKeyring vectorKeyring(String blindIndexSecret) throws IOException {
        Files.createDirectories(file().getParent());
        write(vectorFile(blindIndexSecret));
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-------"));
        return LocalKeyring.load(file(), false, Optional.empty());
    }

    private static String secretOf(String json, String id) {
        Matcher matcher = Pattern.compile("\"id\":\"" + id + "\",\"secret\":\"([^\"]+)\"").matcher(json);
        assertThat(matcher.find()).as("secret of %s in the file", id).isTrue();
        return matcher.group(1);
    }
}
