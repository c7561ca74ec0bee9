package io.stenographer.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {

    @TempDir
    Path dir;

    @Test
    void createExclusivelyWritesAnOwnerOnlyFileAndNeverReplacesOne() throws IOException {
        Path file = dir.resolve("nested/key.json");

        assertThat(OwnerOnlyFiles.createExclusively(file, bytes("first"))).isTrue();
        assertThat(OwnerOnlyFiles.createExclusively(file, bytes("second"))).isFalse();

        assertThat(Files.readString(file)).isEqualTo("first");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(leftovers(file.getParent())).isEmpty();
    }

    @Test
    void replaceAtomicallyReplacesTheContentAndKeepsItOwnerOnly() throws IOException {
        Path file = dir.resolve("key.json");
        OwnerOnlyFiles.createExclusively(file, bytes("old"));

        OwnerOnlyFiles.replaceAtomically(file, bytes("new"));

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void aFileGroupOrOthersMayReadIsRefused() throws IOException {
        Path file = dir.resolve("key.json");
        OwnerOnlyFiles.createExclusively(file, bytes("secret"));
        OwnerOnlyFiles.refuseLoosePermissions(file, "test key");

        for (String loose : new String[] {"rw-r-----", "rw----r--", "rw--w----"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(loose));
            assertThatThrownBy(() -> OwnerOnlyFiles.refuseLoosePermissions(file, "test key"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("test key " + file + " is readable by group or others; chmod 600 it");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Stream<Path> leftovers(Path directory) throws IOException {
        return Files.list(directory).filter(p -> p.getFileName().toString().endsWith(".tmp")).toList().stream();
    }
}
