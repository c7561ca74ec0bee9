package io.stenographer.bench.streams;

import io.stenographer.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes the receivers' TLS certificate before the service starts (the service must trust it from its first
 * connection): {@code server.p12}, {@code server.pem} and the key store's password in {@code password} (owner-only),
 * in the directory given. {@code bench/run-streams.sh} passes the PEM to the service and the directory to
 * {@link StreamingBenchmark}.
 *
 * <pre>java -cp stenographer-bench.jar io.stenographer.bench.streams.ReceiverCertificate DIR</pre>
 */
public final class ReceiverCertificate {

    static final String PASSWORD_FILE = "password";

    private ReceiverCertificate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ReceiverCertificate DIR");
            System.exit(64);
        }
        Path dir = Path.of(args[0]);
        TestCertificates.Server server = TestCertificates.create(dir);
        Path password = dir.resolve(PASSWORD_FILE);
        Files.createFile(password, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(password, server.password(), StandardCharsets.UTF_8);
        System.out.println(server.certificatePem());
    }

    /** The certificate {@link #main} made in {@code dir}. */
    static TestCertificates.Server load(Path dir) throws Exception {
        return new TestCertificates.Server(dir.resolve("server.p12"),
                Files.readString(dir.resolve(PASSWORD_FILE), StandardCharsets.UTF_8).strip(),
                dir.resolve("server.pem"));
    }
}
