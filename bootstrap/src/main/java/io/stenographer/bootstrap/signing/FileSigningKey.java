package io.stenographer.bootstrap.signing;

import io.stenographer.application.port.out.SignCheckpointPort;
import io.stenographer.application.port.out.SignReportManifestPort;
import io.stenographer.domain.report.bundle.ReportManifest;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The checkpoint signing key, an Ed25519 PKCS#8 PEM file. In embedded mode it is generated on first
 * start, created with owner-only permissions before any key byte is written. Only the verifier key
 * is ever logged.
 *
 * <p>After a rotation the previous keys stay configured as retired keys, read-only and never generated: each
 * tenant's next checkpoint (the handover) is cosigned by its retired key and the current one. Once every tenant
 * has rotated ({@code GET /api/v1/logs/{tenant}/key-set}), the retired files may be removed.
 */
public final class FileSigningKey implements SignCheckpointPort, SignReportManifestPort {

    private static final Logger LOG = Logger.getLogger(FileSigningKey.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

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
        NoteSigner current = signer(file, keyName, generateIfMissing);
        List<NoteSigner> retired = new ArrayList<>();
        for (Path retiredFile : retiredFiles) {
            NoteSigner key = signer(retiredFile, keyName, false);
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

    private static NoteSigner signer(Path file, String keyName, boolean generateIfMissing) {
        try {
            if (!Files.exists(file)) {
                if (!generateIfMissing) {
                    throw new IllegalStateException("checkpoint signing key " + file + " does not exist; "
                            + "configure stenographer.log.signing-key-file");
                }
                generate(file);
            }
            refuseLoosePermissions(file);
            PrivateKey key = Ed25519Keys.privateKeyFromPem(Files.readString(file, StandardCharsets.US_ASCII));
            return new NoteSigner(keyName, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint signing key " + file, e);
        }
    }

    private static void generate(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        KeyPair pair = Ed25519Keys.generate();
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, Ed25519Keys.privateKeyToPem(pair.getPrivate()), StandardCharsets.US_ASCII,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        LOG.infof("Generated a new checkpoint signing key at %s (mode 0600)", file);
    }

    private static void refuseLoosePermissions(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
            throw new IllegalStateException("checkpoint signing key " + file
                    + " is readable by group or others; chmod 600 it");
        }
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
