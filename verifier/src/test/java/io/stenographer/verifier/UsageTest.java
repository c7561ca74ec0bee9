package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors exit 2 and say what is wrong; help exits 0. */
class UsageTest {

    private static final String KEY = "example/acme+00000000+AQ==";

    @TempDir
    Path dir;

    private static void usageError(String expected, String... args) {
        Cli result = Cli.run(args);
        assertThat(result.exit()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: " + expected + "\nRun with --help for usage.\n");
    }

    @Test
    void helpPrintsUsage() {
        for (String help : new String[] {"--help", "-h", "help"}) {
            Cli result = Cli.run(help);
            assertThat(result.exit()).isZero();
            assertThat(result.out()).startsWith("Usage: java -jar stenographer-verifier.jar <command> [options]")
                    .contains("verify-bundle", "verify-proof", "verify-checkpoint", "verify-consistency",
                            "verify-tiles");
        }
    }

    @Test
    void commandLineMistakesAreUsageErrors() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        usageError("no command given");
        usageError("unknown command 'verify'; commands are verify-bundle, verify-report-bundle, verify-proof, "
                + "verify-checkpoint, verify-consistency, verify-tiles, verify-stream", "verify");
        usageError("verify-bundle needs --key", "verify-bundle", "--bundle", file.toString(), "--origin", "o");
        usageError("verify-bundle has no option --checkpoint", "verify-bundle", "--checkpoint", "x");
        // One signing key signs every tenant's log of an instance: without the origin, another tenant's would pass.
        usageError("verify-stream needs --origin", "verify-stream", "--stream", file.toString(), "--key", "k");
        usageError("--bundle needs a value", "verify-bundle", "--bundle");
        usageError("--key is given more than once", "verify-checkpoint", "--key=a", "--key", "b");
        usageError("--full takes no value", "verify-tiles", "--full=true");
        usageError("verify-checkpoint has no option --full", "verify-checkpoint", "--full", "x");
        usageError("unexpected argument 'file'; options start with --", "verify-bundle", "file");
        usageError("verify-proof needs exactly one of --event and --leaf-hash", "verify-proof", "--proof", "p",
                "--origin", "o", "--key", "k");
        usageError("verify-proof needs exactly one of --event and --leaf-hash", "verify-proof", "--proof", "p",
                "--origin", "o", "--key", "k", "--event", "e", "--leaf-hash", "h");
    }

    @Test
    void missingFilesAndMalformedKeysAreUsageErrors() throws IOException {
        Path missing = dir.resolve("missing.ndjson");
        LogFixture log = new LogFixture(1);
        usageError("--bundle " + missing + ": no such file", "verify-bundle", "--bundle", missing.toString(),
                "--key", log.verifierKey(), "--origin", LogFixture.ORIGIN);
        Path file = Files.writeString(dir.resolve("b"), "x");
        Cli badKey = Cli.run("verify-bundle", "--bundle", file.toString(), "--key", "not-a-key", "--origin", "o");
        assertThat(badKey.exit()).isEqualTo(2);
        assertThat(badKey.err()).startsWith("error: --key is neither an existing file nor a verifier key");
        Path keyFile = Files.writeString(dir.resolve("two-keys"), log.verifierKey() + "\n" + log.verifierKey());
        Cli twoKeys = Cli.run("verify-bundle", "--bundle", file.toString(), "--key", keyFile.toString(), "--origin",
                "o");
        assertThat(twoKeys.exit()).isEqualTo(2);
        assertThat(twoKeys.err()).startsWith("error: --key file " + keyFile + " does not hold a verifier key or key set")
                .contains("twice");
        Cli wrongId = Cli.run("verify-bundle", "--bundle", file.toString(), "--key", KEY, "--origin", "o");
        assertThat(wrongId.exit()).isEqualTo(2);
        Cli badHash = Cli.run("verify-proof", "--proof", file.toString(), "--leaf-hash", "xyz", "--origin", "o",
                "--key", log.verifierKey());
        assertThat(badHash.exit()).isEqualTo(2);
        assertThat(badHash.err()).startsWith("error: --leaf-hash must be 64 hex digits");
    }

    @Test
    void tooLargeOrNonUtf8InputsFail() throws IOException {
        LogFixture log = new LogFixture(1);
        Path huge = Files.write(dir.resolve("huge.note"), new byte[(int) VerifierCli.MAX_FILE_BYTES + 1]);
        Cli large = Cli.run("verify-checkpoint", "--checkpoint", huge.toString(), "--origin", "o", "--key",
                log.verifierKey());
        assertThat(large.exit()).isEqualTo(1);
        assertThat(large.err()).isEqualTo("FAIL: " + huge + " is larger than 1048576 bytes, too large for this input\n");
        Path latin1 = Files.write(dir.resolve("latin1.note"), new byte[] {'a', (byte) 0xE9, '\n'});
        assertThat(Cli.run("verify-checkpoint", "--checkpoint", latin1.toString(), "--origin", "o", "--key",
                log.verifierKey()).err()).isEqualTo("FAIL: " + latin1 + " is not valid UTF-8\n");
    }
}
