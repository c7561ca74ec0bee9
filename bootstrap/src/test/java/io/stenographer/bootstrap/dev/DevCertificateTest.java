package io.stenographer.bootstrap.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev run's certificate: made once, owner-only, for localhost; offered to the TLS registry in dev only. */
class DevCertificateTest {

    @TempDir
    Path dir;

    @Test
    void aCertificateForLocalhostIsMadeOnceAndKeptOwnerOnly() throws Exception {
        Map<String, String> first = DevCertificate.ensure(dir.resolve("dev-tls"));
        Map<String, String> again = DevCertificate.ensure(dir.resolve("dev-tls"));

        assertThat(again).isEqualTo(first);
        Path keyStore = Path.of(first.get("quarkus.tls.key-store.p12.path"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyStore))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("dev-tls/dev-server.password")))).isEqualTo("rw-------");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, first.get("quarkus.tls.key-store.p12.password").toCharArray());
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate("dev-server");
        assertThat(certificate.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(Files.readString(dir.resolve("dev-tls/dev-server.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void onlyTheDevProfileGetsIt() {
        DevCertificateConfigSourceFactory factory = new DevCertificateConfigSourceFactory();
        assertThat(factory.getConfigSources(context(List.of("prod")))).isEmpty();
        assertThat(factory.getConfigSources(context(List.of("test")))).isEmpty();
        assertThat(Files.exists(dir.resolve("dev-tls"))).isFalse();

        Iterable<ConfigSource> dev = factory.getConfigSources(context(List.of("dev")));

        assertThat(dev).singleElement().satisfies(source -> {
            assertThat(source.getValue("quarkus.tls.key-store.p12.path"))
                    .isEqualTo(dir.resolve("dev-tls/dev-server.p12").toString());
            assertThat(source.getOrdinal()).isLessThan(250); // application.properties wins
        });
    }

    private ConfigSourceContext context(List<String> profiles) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                return name.equals("stenographer.data-dir")
                        ? ConfigValue.builder().withName(name).withValue(dir.toString()).build() : null;
            }

            @Override
            public Iterator<String> iterateNames() {
                return Collections.emptyIterator();
            }

            @Override
            public List<String> getProfiles() {
                return profiles;
            }
        };
    }
}
