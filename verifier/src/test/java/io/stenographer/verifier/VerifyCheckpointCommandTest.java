package io.stenographer.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** verify-checkpoint works for any C2SP log: ours, and the Go checksum database. */
class VerifyCheckpointCommandTest {

    /** The key pinned in the Go toolchain, as in the domain's SumDbCheckpointTest. */
    static final String SUMDB_KEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
    static final String SUMDB_ORIGIN = "go.sum database tree";

    @TempDir
    Path dir;

    private static String sumdbNote(long size, String root, String signature) {
        return SUMDB_ORIGIN + "\n" + size + "\n" + root + "\n\n\u2014 sum.golang.org " + signature + "\n";
    }

    /** Tree heads served by sum.golang.org (the same real notes the domain tests use). */
    @ParameterizedTest
    @CsvSource({
        "445646, jEFFy4AtYgBBNTSZTiNnQrgQqMbcH0mfO2oP2FxR9VU=, "
                + "Az3grkGho/PqvUmEuTv6+r2g303hUhu60FOD6vLpm19mBwH9UjquWY2OKxNmZ55z0gHrp24AgPC3Q5WO7uZrVdvdCQU=",
        "3784599, 7uvxIZ67TZygcq/AehTD8iHYt81Ih+Zl2Y7vXZbfszQ=, "
                + "Az3grn972wXskjQrsZhVGc93fTU2uOsmSTiId1Wn1lxDCup5z4ggl1/4gaUqOkMa6cMbYvjB7hn7yemNr7Zqanol/go=",
        "15368405, /g9am3I6YWNKaZX/jkne1fqd9zEyjss+JXyPXG0WfkY=, "
                + "Az3grqJGUaSGukG9p8nI2vKgiFn7qGHxn0W+mrwyI6Gz3F0t1J3LzmWk/p96Ybf295EjwdSwlzgijq5WA9d1Ded7owM=",
        "63512409, F7eHRPqN/cqPtqti14NKdGGaI1Giw8coWP3KxihFZbg=, "
                + "Az3gri1OBHKT87Xj8UXU8zjoHGy/X+7Nl94f8TZkELVaasolmGApUsWqwVG9vE6hgqYb/ph/w2vdkLIVRH7bMB/FPQ4=",
    })
    void verifiesRealSumGolangOrgCheckpoints(long size, String root, String signature) throws IOException {
        String note = sumdbNote(size, root, signature);
        Path file = Files.writeString(dir.resolve("sumdb.note"), note);
        Cli result = Cli.run("verify-checkpoint", "--checkpoint", file.toString(), "--origin", SUMDB_ORIGIN,
                "--key", SUMDB_KEY);
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("OK: checkpoint of go.sum database tree at tree size " + size + ", root "
                + root + ", signed by sum.golang.org+033de0ae\n");

        // One flipped byte anywhere in the note (text, key name or signature) fails.
        byte[] bytes = note.getBytes(StandardCharsets.UTF_8);
        for (int position = 0; position < bytes.length; position++) {
            byte[] tampered = bytes.clone();
            tampered[position] ^= 0x01;
            Path flipped = Files.write(dir.resolve("flipped.note"), tampered);
            Cli failed = Cli.run("verify-checkpoint", "--checkpoint", flipped.toString(), "--origin", SUMDB_ORIGIN,
                    "--key", SUMDB_KEY);
            assertThat(failed.exit()).as("flip at byte %d\n%s", position, failed).isEqualTo(1);
            assertThat(failed.err()).startsWith("FAIL: ");
        }
    }

    @Test
    void namesTheProblemPrecisely() throws IOException {
        String note = sumdbNote(445646, "jEFFy4AtYgBBNTSZTiNnQrgQqMbcH0mfO2oP2FxR9VU=",
                "Az3grkGho/PqvUmEuTv6+r2g303hUhu60FOD6vLpm19mBwH9UjquWY2OKxNmZ55z0gHrp24AgPC3Q5WO7uZrVdvdCQU=");
        Path resized = Files.writeString(dir.resolve("resized.note"), note.replace("445646", "445647"));
        assertThat(Cli.run("verify-checkpoint", "--checkpoint", resized.toString(), "--origin", SUMDB_ORIGIN,
                "--key", SUMDB_KEY).err()).isEqualTo("FAIL: checkpoint " + resized + ": signature does not verify "
                        + "with key sum.golang.org+033de0ae (the note carries signatures by sum.golang.org+033de0ae): "
                        + "checkpoint signature by sum.golang.org+033de0ae does not verify\n");
        Path file = Files.writeString(dir.resolve("sumdb.note"), note);
        assertThat(Cli.run("verify-checkpoint", "--checkpoint", file.toString(), "--origin", "example/acme",
                "--key", SUMDB_KEY).err()).isEqualTo(
                        "FAIL: checkpoint origin 'go.sum database tree' is not the expected origin 'example/acme'\n");
        LogFixture ours = new LogFixture(3);
        Cli otherKey = Cli.run("verify-checkpoint", "--checkpoint", file.toString(), "--origin", SUMDB_ORIGIN,
                "--key", ours.verifierKey());
        assertThat(otherKey.exit()).isEqualTo(1);
        assertThat(otherKey.err()).contains("signature does not verify with key example/acme+");
        Path garbage = Files.writeString(dir.resolve("garbage.note"), "not a note");
        assertThat(Cli.run("verify-checkpoint", "--checkpoint", garbage.toString(), "--origin", SUMDB_ORIGIN,
                "--key", SUMDB_KEY).err()).isEqualTo(
                        "FAIL: checkpoint " + garbage + " is not a valid signed note: note must end with a newline\n");
    }

    @Test
    void verifiesOurOwnCheckpoints() throws IOException {
        LogFixture log = new LogFixture(5);
        Path file = Files.writeString(dir.resolve("acme.note"), log.checkpoint(5));
        Cli result = Cli.run("verify-checkpoint", "--checkpoint", file.toString(), "--origin", LogFixture.ORIGIN,
                "--key", log.verifierKey());
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("OK: checkpoint of example/acme at tree size 5, root "
                + log.tree.root(5).base64() + ", signed by example/acme+" + log.signer.verifier().keyIdHex() + "\n");
    }
}
