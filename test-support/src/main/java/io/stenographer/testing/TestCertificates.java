package io.stenographer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, made by the JDK's own
 * {@code keytool} in a child process (so no library and no checked-in key): a PKCS#12 key store for the test
 * servers, and the certificate as PEM for a client's list of extra trusted certificates.
 *
 * <pre>{@code
 * TestCertificates.Server cert = TestCertificates.create(tempDir);
 * SSLContext server = cert.serverContext();        // for HttpsServer / SSLServerSocket
 * Path trustThis = cert.certificatePem();          // for the client's trust list
 * }</pre>
 */
public final class TestCertificates {

    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    private TestCertificates() {
    }

    /** A server's key store (password {@link #password()}) and its certificate in PEM. */
    public record Server(Path keyStore, String password, Path certificatePem) {

        /** A TLS context serving this certificate (TLS 1.2 and 1.3 are left to the socket to choose). */
        public SSLContext serverContext() {
            try (InputStream in = Files.newInputStream(keyStore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password.toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot load the test key store " + keyStore, e);
            }
        }
    }

    /** A new key pair and certificate in {@code dir} (created if needed), valid for a week. */
    public static Server create(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve("server.p12");
            Path pem = dir.resolve("server.pem");
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-validity", "7",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
            keytool(dir, "-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
                    "-storepass", password, "-file", pem.toString());
            return new Server(keyStore, password, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the JDK's keytool with {@code args}, its output appended to {@code dir/keytool.log}. */
    static void keytool(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("keytool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish in "
                        + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            // the log holds keytool's own messages; the password is only on its command line, never printed
            throw new IllegalStateException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): "
                    + ChildProcesses.tail(log, 20));
        }
    }

    /**
     * The key of {@code alias} in a PKCS#12 store, written as PKCS#8 PEM to a new file created with mode 0600
     * (PostgreSQL and Quarkus read such files; PostgreSQL refuses a key others can read). Returns {@code target}.
     */
    static Path writePrivateKeyPem(Path keyStore, String password, String alias, Path target) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                store.load(in, password.toCharArray());
            }
            Key key = store.getKey(alias, password.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(target, pem, StandardCharsets.US_ASCII);
            return target;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key of " + alias + " from " + keyStore, e);
        }
    }
}
