package io.stenographer.bootstrap.dev;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In the dev profile only, serves the dev run's HTTPS certificate ({@link DevCertificate}, made on first use in
 * {@code <data dir>/dev-tls}) as the TLS registry's default key store. A config source, because the certificate must
 * exist before the HTTP server starts, which is before any bean runs. Its low ordinal lets an explicit
 * {@code quarkus.tls.*} setting win. Registered in {@code META-INF/services}.
 */
public final class DevCertificateConfigSourceFactory implements ConfigSourceFactory {

    /** Below application.properties (250): what a developer configures wins. */
    private static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")) {
            return List.of();
        }
        ConfigValue dataDir = context.getValue("stenographer.data-dir");
        Path dir = Path.of(dataDir == null || dataDir.getValue() == null ? ".stenographer" : dataDir.getValue(),
                "dev-tls").toAbsolutePath();
        return List.of(new PropertiesConfigSource(DevCertificate.ensure(dir), "stenographer dev certificate", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
