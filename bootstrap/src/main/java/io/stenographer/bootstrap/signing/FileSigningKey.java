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
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The checkpoint signing key, an Ed25519 PKCS#8 PEM file. In embedded mode it is generated on first
 * start, created with owner-only permissions before any key byte is written. Only the verifier key
 * is ever logged.
 */
public final class FileSigningKey implements SignCheckpointPort, SignReportManifestPort {

    private static final Logger LOG = Logger.getLogger(FileSigningKey.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final NoteSigner signer;

    private FileSigningKey(NoteSigner signer) {
        this.signer = signer;
    }

    public static FileSigningKey load(Path file, String keyName, boolean generateIfMissing) {
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
            FileSigningKey signingKey = new FileSigningKey(new NoteSigner(keyName, key));
            LOG.infof("Checkpoint verifier key: %s", signingKey.verifier().toVerifierKey());
            return signingKey;
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
}
