package io.stenographer.bootstrap.support;

import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Packaged services that share what a deployment's instances share: one database started by the test, one checkpoint
 * signing key file, one OIDC provider. Each has a data directory of its own under {@code target}.
 */
public final class SharedDatabaseServices {

    private SharedDatabaseServices() {
    }

    /** Where the services' shared signing key will be (the first service started generates it). */
    public static Path keyFile(String prefix) throws IOException {
        return Files.createTempDirectory(Path.of("target"), prefix + "-").toAbsolutePath()
                .resolve("checkpoint-signing-key.pem");
    }

    /** A service named {@code name} on the database the {@code connection} properties point at. */
    public static ServiceProcess.Builder builder(String name, Map<String, String> connection, Path key, OidcStub oidc)
            throws IOException {
        return ServiceProcess.builder(Files.createTempDirectory(Path.of("target"), name + "-"))
                .name(name)
                .properties(connection)
                .property("stenographer.embedded-postgres.enabled", "false")
                .property("stenographer.log.signing-key-file", key.toString())
                // One keyring for all instances, as one signing key: each unwraps what another wrapped.
                .property("stenographer.privacy.keyring-file",
                        key.resolveSibling("personal-data-keyring.json").toString())
                .env(oidc.serviceEnvironment());
    }
}
