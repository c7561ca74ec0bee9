package io.stenographer.bootstrap.oidc;

import io.stenographer.testing.KeycloakProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One real Keycloak for every OIDC test class of the module (about 30 s to start): the shipped realm
 * {@code deploy/keycloak/stenographer-realm.json}, plus two copies of it under other names, so the copies differ from
 * the real one only in their issuer and keys. Public for the console's browser test
 * ({@code io.stenographer.bootstrap.console.ConsoleBrowserIT}), which signs in through the same server.
 */
public final class SharedKeycloak {

    public static final String REALM = "stenographer";
    /** The shipped realm under another name: same clients, users and mappers, another issuer and other keys. */
    public static final String OTHER_REALM = "stenographer-other";
    /** The shipped realm under another name, for the outage test, which rotates its keys. */
    public static final String OUTAGE_REALM = "stenographer-outage";

    public static final String PASSWORD_CLIENT = "stenographer-cli";
    public static final String INGEST_CLIENT = "stenographer-ingest";
    /** Demo secret of the shipped realm (deploy/keycloak/stenographer-realm.json); not a real one. */
    public static final String INGEST_SECRET = "demo-only-ingest-secret-not-for-production";

    private static KeycloakProcess keycloak;

    private SharedKeycloak() {
    }

    public static synchronized KeycloakProcess get() {
        if (keycloak == null) {
            Path realm = shippedRealm();
            Path copies = Path.of("target", "keycloak-realms");
            KeycloakProcess started = KeycloakProcess.builder()
                    .realm(realm)
                    .realm(renamedCopy(realm, OTHER_REALM, copies))
                    .realm(renamedCopy(realm, OUTAGE_REALM, copies))
                    .start();
            System.out.printf("Keycloak ready in %d ms (%s)%n", started.lastStartTime().toMillis(), started);
            keycloak = started;
        }
        return keycloak;
    }

    /** The demo user's password: every shipped demo user has {@code demo-only-<username>}. */
    public static String password(String user) {
        return "demo-only-" + user;
    }

    public static Path shippedRealm() {
        for (Path p : List.of(Path.of("..", "deploy", "keycloak", "stenographer-realm.json"),
                Path.of("deploy", "keycloak", "stenographer-realm.json"))) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("deploy/keycloak/stenographer-realm.json not found from " + Path.of("").toAbsolutePath());
    }

    private static Path renamedCopy(Path realm, String name, Path dir) {
        try {
            String json = Files.readString(realm);
            String renamed = json.replaceFirst("\"realm\"\\s*:\\s*\"" + REALM + "\"", "\"realm\": \"" + name + "\"");
            if (renamed.equals(json)) {
                throw new IllegalStateException(realm + " does not name the realm '" + REALM + "'");
            }
            Files.createDirectories(dir);
            Path copy = dir.resolve(name + "-realm.json");
            Files.writeString(copy, renamed);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
