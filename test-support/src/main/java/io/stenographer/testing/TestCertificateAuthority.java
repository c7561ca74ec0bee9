package io.stenographer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throw-away certificate authority made by the JDK's {@code keytool} (no library, no checked-in key), for
 * servers whose clients verify the chain and the host name against a root they are given, as libpq and pgjdbc do
 * with {@code sslmode=verify-full&sslrootcert=<pem>}. Unlike {@link TestCertificates} (a self-signed leaf), the
 * root here signs the server certificate, so a test can tell "untrusted issuer" from "wrong name".
 *
 * <pre>{@code
 * TestCertificateAuthority ca = TestCertificateAuthority.create(dir);
 * TestCertificateAuthority.Issued server = ca.issue("localhost", "dns:localhost");
 * Path root = ca.certificatePem();                 // the client's sslrootcert
 * }</pre>
 */
public final class TestCertificateAuthority {

    private static final String CA_ALIAS = "ca";

    private final Path dir;
    private final Path keyStore;
    private final String password;
    private final Path certificatePem;
    private final AtomicInteger issued = new AtomicInteger();

    private TestCertificateAuthority(Path dir, Path keyStore, String password, Path certificatePem) {
        this.dir = dir;
        this.keyStore = keyStore;
        this.password = password;
        this.certificatePem = certificatePem;
    }

    /** A certificate and its PKCS#8 private key, as PEM files; the key file is readable by its owner only. */
    public record Issued(Path certificatePem, Path privateKeyPem) {
    }

    /** A new root (EC P-256, valid for a week) in {@code dir}, which is created if needed. */
    public static TestCertificateAuthority create(Path where) {
        Path dir = where.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve("ca.p12");
            Path pem = dir.resolve("ca.pem");
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            // A real CA certificate (basicConstraints CA:true, keyCertSign), not a leaf trusted as its own root.
            TestCertificates.keytool(dir, "-genkeypair", "-alias", CA_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-dname", "CN=Stenographer test CA " + dir.getFileName(),
                    "-validity", "7", "-ext", "bc:c=ca:true", "-ext", "ku:c=keyCertSign,cRLSign",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password,
                    "-keypass", password);
            TestCertificates.keytool(dir, "-exportcert", "-rfc", "-alias", CA_ALIAS, "-keystore", keyStore.toString(),
                    "-storepass", password, "-file", pem.toString());
            return new TestCertificateAuthority(dir, keyStore, password, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The root certificate (PEM): what a client is told to trust. */
    public Path certificatePem() {
        return certificatePem;
    }

    /**
     * A server certificate for {@code commonName} signed by this root, valid for a week, with exactly the given
     * subject alternative names in keytool's form ({@code dns:localhost}, {@code ip:127.0.0.1}).
     */
    public Issued issue(String commonName, String... subjectAlternativeNames) {
        if (subjectAlternativeNames.length == 0) {
            throw new IllegalArgumentException("a server certificate needs at least one subject alternative name");
        }
        String name = "server-" + issued.incrementAndGet();
        Path leafStore = dir.resolve(name + ".p12");
        Path request = dir.resolve(name + ".csr");
        Path certificate = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + "-key.pem");
        try {
            TestCertificates.keytool(dir, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-dname", "CN=" + commonName, "-validity", "7",
                    "-storetype", "PKCS12", "-keystore", leafStore.toString(), "-storepass", password,
                    "-keypass", password);
            TestCertificates.keytool(dir, "-certreq", "-alias", name, "-keystore", leafStore.toString(),
                    "-storepass", password, "-file", request.toString());
            TestCertificates.keytool(dir, "-gencert", "-alias", CA_ALIAS, "-keystore", keyStore.toString(),
                    "-storepass", password, "-infile", request.toString(), "-outfile", certificate.toString(), "-rfc", "-validity", "7",
                    "-sigalg", "SHA256withECDSA", "-ext", "SAN=" + String.join(",", subjectAlternativeNames),
                    "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth");
            TestCertificates.writePrivateKeyPem(leafStore, password, name, key);
            return new Issued(certificate, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
