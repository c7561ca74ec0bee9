package io.stenographer.adapters.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.out.StoreReportFilesPort.Stored;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.report.ReportFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local report store: what is written is what is read, owner-only, never half a file, never overwritten. */
class LocalReportFilesTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    @TempDir
    Path root;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void aReportReadsBackAsWrittenWithItsSizeAndSha256AndOwnerOnlyPermissions() throws Exception {
        LocalReportFiles files = new LocalReportFiles(root);
        UUID id = UUID.randomUUID();
        byte[] content = bytes("actor,action\nalice,case.view\n".repeat(5_000));

        Stored stored = files.write(ACME, id, ReportFormat.CSV, out -> out.write(content));

        assertThat(stored.bytes()).isEqualTo(content.length);
        assertThat(stored.sha256().hex())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertThat(read(files.open(ACME, id, ReportFormat.CSV))).isEqualTo(content);
        Path file = root.resolve("acme").resolve(id + "." + ReportFormat.CSV.extension());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void anExistingReportIsNeverOverwritten() throws Exception {
        LocalReportFiles files = new LocalReportFiles(root);
        UUID id = UUID.randomUUID();
        files.write(ACME, id, ReportFormat.CSV, out -> out.write(bytes("original")));

        assertThatThrownBy(() -> files.write(ACME, id, ReportFormat.CSV, out -> out.write(bytes("replacement"))))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(read(files.open(ACME, id, ReportFormat.CSV))).isEqualTo(bytes("original"));
    }

    @Test
    void aWriteThatFailsLeavesNoFileAndNoPartBehindAndCanBeRetried() throws Exception {
        LocalReportFiles files = new LocalReportFiles(root);
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> files.write(ACME, id, ReportFormat.CSV, out -> {
            out.write(bytes("half a rep"));
            throw new IOException("the database went away");
        })).hasMessageContaining("went away");

        try (Stream<Path> left = Files.list(root.resolve("acme"))) {
            assertThat(left).isEmpty();
        }
        assertThatThrownBy(() -> files.open(ACME, id, ReportFormat.CSV)).isInstanceOf(NoSuchFileException.class);
        files.write(ACME, id, ReportFormat.CSV, out -> out.write(bytes("whole report")));
        assertThat(read(files.open(ACME, id, ReportFormat.CSV))).isEqualTo(bytes("whole report"));
    }

    @Test
    void eachTenantHasItsOwnDirectory() throws Exception {
        LocalReportFiles files = new LocalReportFiles(root);
        UUID id = UUID.randomUUID();
        files.write(ACME, id, ReportFormat.CSV, out -> out.write(bytes("acme's")));

        assertThatThrownBy(() -> files.open(GLOBEX, id, ReportFormat.CSV)).isInstanceOf(NoSuchFileException.class);
        files.write(GLOBEX, id, ReportFormat.CSV, out -> out.write(bytes("globex's")));
        assertThat(read(files.open(ACME, id, ReportFormat.CSV))).isEqualTo(bytes("acme's"));
        assertThat(read(files.open(GLOBEX, id, ReportFormat.CSV))).isEqualTo(bytes("globex's"));
    }
}
