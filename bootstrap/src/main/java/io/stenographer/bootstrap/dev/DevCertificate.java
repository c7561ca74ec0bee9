package io.stenographer.bootstrap.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The dev run's HTTPS certificate: a self-signed EC certificate for {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1}, made once by the JDK's own {@code keytool} (no library, nothing checked in) and kept in the data
 * directory with its key store password (both owner-only). Never used outside the dev profile: a production
 * certificate comes from the operator (docs/SECURITY.md).
 */
public final class DevCertificate {

    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    private DevCertificate() {
    }

    /**
     * The certificate in {@code dir}, made on first use; returns the TLS registry settings that serve it, and writes
     * {@code dev-server.pem} beside it for clients ({@code curl --cacert}).
     */
    public static Map<String, String> ensure(Path dir) {
        try {
            Path keyStore = dir.resolve("dev-server.p12");
            Path passwordFile = dir.resolve("dev-server.password");
            Path pem = dir.resolve("dev-server.pem");
            if (!Files.isRegularFile(keyStore) || !Files.isRegularFile(passwordFile) || !Files.isRegularFile(pem)) {
                Files.createDirectories(dir);
                Files.deleteIfExists(keyStore);
                byte[] random = new byte[16];
                new SecureRandom().nextBytes(random);
                String password = HexFormat.of().formatHex(random);
                Files.writeString(passwordFile, password, StandardCharsets.US_ASCII);
                ownerOnly(passwordFile);
                keytool("-genkeypair", "-alias", "dev-server", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost, O=Stenographer dev run",
                        "-validity", "365", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1", "-storetype",
                        "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
                ownerOnly(keyStore);
                keytool("-exportcert", "-rfc", "-alias", "dev-server", "-keystore", keyStore.toString(),
                        "-storepass", password, "-file", pem.toString());
            }
            String password = Files.readString(passwordFile, StandardCharsets.US_ASCII).trim();
            return Map.of("quarkus.tls.key-store.p12.path", keyStore.toAbsolutePath().toString(),
                    "quarkus.tls.key-store.p12.password", password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the dev run's HTTPS certificate in " + dir, e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                // the password is an argument: never quote the command line
                throw new IOException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
