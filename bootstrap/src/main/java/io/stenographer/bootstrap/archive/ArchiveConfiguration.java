package io.stenographer.bootstrap.archive;

import io.stenographer.adapters.archive.LocalDirectoryArchive;
import io.stenographer.application.port.out.ArchiveSegmentsPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/** The archive store, chosen by configuration; the jobs that use it are wired in {@code RetentionConfiguration}. */
@ApplicationScoped
public class ArchiveConfiguration {

    @Produces
    @ApplicationScoped
    ArchiveSegmentsPort archive(ArchiveSettings settings) {
        return switch (settings.store()) {
            case "local" -> new LocalDirectoryArchive(Path.of(settings.localDir()));
            case "s3" -> S3ArchiveFactory.create(settings);
            default -> throw new IllegalStateException("stenographer.archive.store must be 'local' or 's3', was '"
                    + settings.store() + "'");
        };
    }

    /** The S3 client holds connections; release them on shutdown. */
    void closeArchive(@Disposes ArchiveSegmentsPort archive) throws Exception {
        if (archive instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
