package io.stenographer.bootstrap.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passphrase-encrypted signing key files (PBES2 EncryptedPrivateKeyInfo PEM): generated, read back, read from
 * openssl and read by openssl, and the start-up errors when the passphrase is missing or wrong. Plain JUnit.
 */
class FileSigningKeyEncryptionTest {

    private static final String NAME = "stenographer.test";
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final Optional<SigningKeyPassphrase> WITH_PASSPHRASE = Optional.of(SigningKeyPassphrase.of(PASSPHRASE));

    @TempDir
    Path dir;

    @Test
    void aKeyGeneratedWithAPassphraseIsWrittenEncryptedOwnerOnlyAndLoadsAgain() throws IOException {
        Path file = dir.resolve("keys/signing.pem");

        FileSigningKey generated = FileSigningKey.load(file, List.of(), NAME, true, WITH_PASSPHRASE);

        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
                .endsWith("-----END ENCRYPTED PRIVATE KEY-----\n")
                .doesNotContain("BEGIN PRIVATE KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        FileSigningKey reloaded = FileSigningKey.load(file, List.of(), NAME, false, WITH_PASSPHRASE);
        assertThat(reloaded.verifier()).isEqualTo(generated.verifier());
    }

    @Test
    void withoutAPassphraseTheGeneratedKeyStaysPlainPkcs8() throws IOException {
        Path file = dir.resolve("signing.pem");

        FileSigningKey.load(file, List.of(), NAME, true, Optional.empty());

        assertThat(Files.readString(file, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void aJdkEncryptedFileOfAKnownKeyLoadsAsThatKey() throws IOException {
        KeyPair pair = Ed25519Keys.generate();
        Path file = ownerOnly("known.pem", EncryptedPrivateKeyPem.encrypt(pair.getPrivate(), PASSPHRASE.toCharArray()));

        FileSigningKey keys = FileSigningKey.load(file, List.of(), NAME, false, WITH_PASSPHRASE);

        assertThat(keys.verifier()).isEqualTo(new NoteVerifier(NAME, pair.getPublic()));
    }

    @Test
    void aFileEncryptedByOpensslLoadsAsTheKeyOpensslReads() throws Exception {
        assumeTrue(opensslPresent(), "openssl is not installed; the JDK-built fixtures still run");
        Path file = dir.resolve("openssl.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-aes-256-cbc", "-pass", "env:PASS", "-out", file.toString());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

        FileSigningKey keys = FileSigningKey.load(file, List.of(), NAME, false, WITH_PASSPHRASE);

        String publicPem = openssl("pkey", "-in", file.toString(), "-passin", "env:PASS", "-pubout");
        assertThat(keys.verifier()).isEqualTo(new NoteVerifier(NAME, Ed25519Keys.publicKeyFromPem(publicPem)));
    }

    @Test
    void aFileOpensslConvertedWithPkcs8TopLoadsToo() throws Exception {
        assumeTrue(opensslPresent(), "openssl is not installed; the JDK-built fixtures still run");
        KeyPair pair = Ed25519Keys.generate();
        Path plain = ownerOnly("plain.pem", Ed25519Keys.privateKeyToPem(pair.getPrivate()));
        Path file = dir.resolve("topk8.pem");
        openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-in", plain.toString(),
                "-passout", "env:PASS", "-out", file.toString());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        FileSigningKey keys = FileSigningKey.load(file, List.of(), NAME, false, WITH_PASSPHRASE);

        assertThat(keys.verifier()).isEqualTo(new NoteVerifier(NAME, pair.getPublic()));
    }

    @Test
    void opensslReadsTheKeyTheServiceGenerated() throws Exception {
        assumeTrue(opensslPresent(), "openssl is not installed; the JDK-built fixtures still run");
        Path file = dir.resolve("generated.pem");
        FileSigningKey generated = FileSigningKey.load(file, List.of(), NAME, true, WITH_PASSPHRASE);

        String publicPem = openssl("pkey", "-in", file.toString(), "-passin", "env:PASS", "-pubout");
        String structure = openssl("asn1parse", "-in", file.toString());

        assertThat(new NoteVerifier(NAME, Ed25519Keys.publicKeyFromPem(publicPem))).isEqualTo(generated.verifier());
        assertThat(structure).contains(":PBES2", ":PBKDF2", ":hmacWithSHA256", ":aes-256-cbc")
                .contains(Integer.toHexString(EncryptedPrivateKeyPem.ITERATIONS).toUpperCase());
    }

    @Test
    void aWrongPassphraseStopsTheStartWithoutRevealingEitherPassphrase() throws IOException {
        Path file = dir.resolve("signing.pem");
        FileSigningKey.load(file, List.of(), NAME, true, WITH_PASSPHRASE);

        assertThatThrownBy(() -> FileSigningKey.load(file, List.of(), NAME, false,
                Optional.of(SigningKeyPassphrase.of("not the passphrase"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot decrypt " + file + ": wrong passphrase or damaged file")
                .hasNoCause();
    }

    @Test
    void aDamagedEncryptedFileIsReportedLikeAWrongPassphrase() throws IOException {
        Path file = ownerOnly("damaged.pem",
                EncryptedPrivateKeyPem.encrypt(Ed25519Keys.generate().getPrivate(), PASSPHRASE.toCharArray(), 1000));
        byte[] der = Base64.getMimeDecoder().decode(Files.readString(file)
                .replace("-----BEGIN ENCRYPTED PRIVATE KEY-----", "").replace("-----END ENCRYPTED PRIVATE KEY-----", ""));
        der[der.length - 20] ^= 0x01; // inside the ciphertext, which closes the structure
        Files.writeString(file, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertThatThrownBy(() -> FileSigningKey.load(file, List.of(), NAME, false, WITH_PASSPHRASE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot decrypt " + file + ": wrong passphrase or damaged file");
    }

    @Test
    void anEncryptedFileWithoutAPassphraseNamesTheFileAndTheSetting() throws IOException {
        Path file = dir.resolve("signing.pem");
        FileSigningKey.load(file, List.of(), NAME, true, WITH_PASSPHRASE);

        assertThatThrownBy(() -> FileSigningKey.load(file, List.of(), NAME, false, Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is encrypted")
                .hasMessageContaining("stenographer.log.signing-key-passphrase")
                .hasMessageContaining("STENOGRAPHER_SIGNING_KEY_PASSPHRASE");
    }

    @Test
    void anEmptyConfiguredPassphraseCountsAsNone() {
        assertThat(SigningKeyPassphrase.of(Optional.of(""))).isEmpty();
        assertThat(SigningKeyPassphrase.of(Optional.empty())).isEmpty();
        assertThat(SigningKeyPassphrase.of(Optional.of(PASSPHRASE))).isPresent();
    }

    @Test
    void thePassphraseNeverPrints() {
        assertThat(SigningKeyPassphrase.of(PASSPHRASE).toString()).doesNotContain(PASSPHRASE).contains("hidden");
        assertThat(WITH_PASSPHRASE.toString()).doesNotContain(PASSPHRASE);
    }

    @Test
    void aPassphraseTheJdkCannotUseIsRefusedWithoutEchoingIt() throws IOException {
        Path file = dir.resolve("signing.pem");
        FileSigningKey.load(file, List.of(), NAME, true, WITH_PASSPHRASE);
        String unusable = "pässwort";

        assertThatThrownBy(() -> FileSigningKey.load(file, List.of(), NAME, false,
                Optional.of(SigningKeyPassphrase.of(unusable))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot decrypt " + file)
                .hasMessageContaining("printable ASCII")
                .hasMessageNotContaining(unusable);
    }

    @Test
    void anEncryptedRetiredKeyOpensWithTheSamePassphraseAndCosigns() throws IOException {
        KeyPair old = Ed25519Keys.generate();
        Path retiredFile = ownerOnly("old.pem", EncryptedPrivateKeyPem.encrypt(old.getPrivate(), PASSPHRASE.toCharArray()));
        Path current = dir.resolve("new.pem");

        FileSigningKey keys = FileSigningKey.load(current, List.of(retiredFile), NAME, true, WITH_PASSPHRASE);

        NoteVerifier oldVerifier = new NoteVerifier(NAME, old.getPublic());
        assertThat(keys.retiredKeys()).containsExactly(oldVerifier);
        assertThat(keys.verifier()).isNotEqualTo(oldVerifier);
        assertThat(Files.readString(current)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    }

    @Test
    void anEncryptedRetiredKeyWithoutAPassphraseStopsTheStartNamingTheRetiredFile() throws IOException {
        Path retiredFile = ownerOnly("old.pem",
                EncryptedPrivateKeyPem.encrypt(Ed25519Keys.generate().getPrivate(), PASSPHRASE.toCharArray(), 1000));
        Path current = dir.resolve("new.pem");

        assertThatThrownBy(() -> FileSigningKey.load(current, List.of(retiredFile), NAME, true, Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(retiredFile.toString())
                .hasMessageContaining("stenographer.log.signing-key-passphrase");
    }

    @Test
    void aPlainFileStillLoadsWhileAPassphraseIsConfiguredSoOperatorsCanMigrate() throws IOException {
        KeyPair pair = Ed25519Keys.generate();
        Path file = ownerOnly("plain.pem", Ed25519Keys.privateKeyToPem(pair.getPrivate()));

        FileSigningKey keys = FileSigningKey.load(file, List.of(), NAME, false, WITH_PASSPHRASE);

        assertThat(keys.verifier()).isEqualTo(new NoteVerifier(NAME, pair.getPublic()));
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void anEncryptedFileReadableByOthersIsStillRefused() throws IOException {
        Path file = dir.resolve("signing.pem");
        FileSigningKey.load(file, List.of(), NAME, true, WITH_PASSPHRASE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> FileSigningKey.load(file, List.of(), NAME, false, WITH_PASSPHRASE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("readable by group or others");
    }

    private Path ownerOnly(String name, String content) throws IOException {
        Path file = Files.createFile(dir.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        return file;
    }

    private static boolean opensslPresent() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs openssl with the passphrase in its environment (never on the command line); returns its stdout. */
    private String openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("openssl.err").toFile());
        builder.environment().put("PASS", PASSPHRASE);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", command, Files.readString(dir.resolve("openssl.err")))
                .isZero();
        return out;
    }
}
