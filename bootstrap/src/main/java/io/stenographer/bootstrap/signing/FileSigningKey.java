package io.stenographer.bootstrap.signing;

import io.stenographer.application.port.out.DeriveReportSecretPort;
import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.SignReportManifestPort;
import io.stenographer.bootstrap.security.OwnerOnlyFiles;
import io.stenographer.domain.report.bundle.ReportManifest;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The checkpoint signing key, an Ed25519 PKCS#8 PEM file, plain or passphrase-encrypted
 * ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}, PBES2; see {@link EncryptedPrivateKeyPem}). In embedded mode it is
 * generated on first start, created with owner-only permissions before any key byte is written, and encrypted when a
 * passphrase is configured. Only the verifier key is ever logged, never the passphrase.
 *
 * <p>One passphrase ({@code stenographer.log.signing-key-passphrase}) opens the current and the retired key files.
 * An encrypted file without a passphrase, or one the passphrase does not open, stops the start. A plain file while a
 * passphrase is configured is used with a warning, so that operators can set the passphrase before they encrypt
 * the files one by one.
 *
 * <p>After a rotation the previous keys stay configured as retired keys, read-only and never generated: each
 * tenant's next checkpoint (the handover) is cosigned by its retired key and the current one. Once every tenant
 * has rotated ({@code GET /api/v1/logs/{tenant}/key-set}), the retired files may be removed.
 */
public final class FileSigningKey implements SignCheckpointPort, SignReportManifestPort, DeriveReportSecretPort {

    private static final Logger LOG = Logger.getLogger(FileSigningKey.class);

    private final NoteSigner signer;
    private final List<NoteSigner> retired;

    private FileSigningKey(NoteSigner signer, List<NoteSigner> retired) {
        this.signer = signer;
        this.retired = List.copyOf(retired);
    }

    public static FileSigningKey load(Path file, String keyName, boolean generateIfMissing) {
        return load(file, List.of(), keyName, generateIfMissing);
    }

    /** The current key, generated if allowed and missing, and the retired keys, which must all exist. */
    public static FileSigningKey load(Path file, List<Path> retiredFiles, String keyName, boolean generateIfMissing) {
        return load(file, retiredFiles, keyName, generateIfMissing, Optional.empty());
    }

    /**
     * The current key, generated if allowed and missing (encrypted when there is a passphrase), and the retired keys,
     * which must all exist; the one passphrase opens every encrypted file among them.
     */
    public static FileSigningKey load(Path file, List<Path> retiredFiles, String keyName, boolean generateIfMissing,
            Optional<SigningKeyPassphrase> passphrase) {
        NoteSigner current = signer(file, keyName, generateIfMissing, passphrase);
        List<NoteSigner> retired = new ArrayList<>();
        for (Path retiredFile : retiredFiles) {
            NoteSigner key = signer(retiredFile, keyName, false, passphrase);
            if (key.verifier().equals(current.verifier()) || retired.stream()
                    .anyMatch(other -> other.verifier().equals(key.verifier()))) {
                throw new IllegalStateException("retired signing key " + retiredFile
                        + " is the current key or listed twice; a rotation needs a new key");
            }
            retired.add(key);
        }
        FileSigningKey keys = new FileSigningKey(current, retired);
        LOG.infof("Checkpoint verifier key: %s", current.verifier().toVerifierKey());
        retired.forEach(key -> LOG.infof("Retired checkpoint verifier key (cosigns handovers): %s",
                key.verifier().toVerifierKey()));
        return keys;
    }

    private static NoteSigner signer(Path file, String keyName, boolean generateIfMissing,
            Optional<SigningKeyPassphrase> passphrase) {
        try {
            if (!Files.exists(file)) {
                if (!generateIfMissing) {
                    throw new IllegalStateException("checkpoint signing key " + file + " does not exist; "
                            + "configure stenographer.log.signing-key-file");
                }
                generate(file, passphrase);
            }
            OwnerOnlyFiles.refuseLoosePermissions(file, "checkpoint signing key");
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            PrivateKey key = privateKey(file, pem, passphrase);
            return new NoteSigner(keyName, key, BouncyCastleEd25519.of(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint signing key " + file, e);
        }
    }

    private static PrivateKey privateKey(Path file, String pem, Optional<SigningKeyPassphrase> passphrase) {
        if (!EncryptedPrivateKeyPem.isEncrypted(pem)) {
            if (passphrase.isPresent()) {
                LOG.warnf("Checkpoint signing key %s is not encrypted although %s is set; it is used as it is."
                        + " Encrypt it (docs/FORMATS.md, \"Key sets\")", file, SigningKeyPassphrase.SETTING);
            }
            return Ed25519Keys.privateKeyFromPem(pem);
        }
        if (passphrase.isEmpty()) {
            throw new IllegalStateException("checkpoint signing key " + file + " is encrypted; set "
                    + SigningKeyPassphrase.SETTING + " (in production the STENOGRAPHER_SIGNING_KEY_PASSPHRASE"
                    + " environment variable)");
        }
        char[] chars = passphrase.get().chars();
        byte[] der = null;
        try {
            der = EncryptedPrivateKeyPem.decrypt(pem, chars);
            return Ed25519Keys.privateKeyFromPkcs8(der);
        } catch (EncryptedPrivateKeyPem.CannotDecrypt | IllegalArgumentException e) {
            String reason = der == null && e instanceof IllegalArgumentException ? e.getMessage()
                    : "wrong passphrase or damaged file";
            throw new IllegalStateException("cannot decrypt " + file + ": " + reason);
        } finally {
            Arrays.fill(chars, '\0');
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
        }
    }

    private static void generate(Path file, Optional<SigningKeyPassphrase> passphrase) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        KeyPair pair = Ed25519Keys.generate();
        String pem;
        if (passphrase.isPresent()) {
            char[] chars = passphrase.get().chars();
            try {
                pem = EncryptedPrivateKeyPem.encrypt(pair.getPrivate(), chars);
            } finally {
                Arrays.fill(chars, '\0');
            }
        } else {
            pem = Ed25519Keys.privateKeyToPem(pair.getPrivate());
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        LOG.infof("Generated a new checkpoint signing key at %s (mode 0600, %s)", file,
                passphrase.isPresent() ? "encrypted with the configured passphrase" : "not encrypted");
    }

    @Override
    public SignedNote sign(Checkpoint checkpoint) {
        return checkpoint.sign(signer);
    }

    /** Report bundle manifests (their first line can never be a checkpoint's origin and size). */
    @Override
    public SignedNote signManifest(ReportManifest manifest) {
        return signer.sign(manifest.body());
    }

    /**
     * The hash of the log key's signature over a label no checkpoint or manifest can start with: Ed25519 signatures
     * are deterministic (RFC 8032), so the secret is the same on every instance and every run, and the signature
     * itself is never shown.
     */
    @Override
    public byte[] pseudonymSecret(TenantId tenant, UUID reportId) {
        String label = "stenographer.report-pseudonym-secret/v1\n" + tenant.value() + "\n" + reportId + "\n";
        try {
            return MessageDigest.getInstance("SHA-256").digest(
                    signer.sign(label).serialize().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public NoteVerifier verifier() {
        return signer.verifier();
    }

    @Override
    public List<NoteVerifier> retiredKeys() {
        return retired.stream().map(NoteSigner::verifier).toList();
    }

    @Override
    public SignedNote cosign(Checkpoint checkpoint, NoteVerifier retiredKey) {
        NoteSigner old = retired.stream().filter(key -> key.verifier().equals(retiredKey)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no retired key " + retiredKey.toVerifierKey()
                        + " is configured"));
        return checkpoint.sign(old).withSignature(signer.signature(checkpoint.body()));
    }
}
