package io.stenographer.domain.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.merkle.Hash;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Real checkpoints signed by the Go checksum database (sum.golang.org), verified with the key the
 * go command has built in. This is the interoperability test: a note format or key id mistake
 * would make these fail.
 */
class SumDbCheckpointTest {

    /** The verifier key pinned in the Go toolchain (cmd/go/internal/modfetch). */
    static final String SUMDB_KEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

    private static String note(long size, String root, String signature) {
        return "go.sum database tree\n" + size + "\n" + root + "\n\n\u2014 sum.golang.org " + signature + "\n";
    }

    /** Tree heads as served by sum.golang.org (/latest and /lookup responses) at various times. */
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
    void verifiesRealSumGolangOrgCheckpoints(long size, String root, String signature) {
        NoteVerifier verifier = NoteVerifier.parse(SUMDB_KEY);
        SignedNote note = SignedNote.parse(note(size, root, signature));
        assertThat(verifier.verify(note)).isTrue();

        Checkpoint checkpoint = Checkpoint.verifiedFrom(note, verifier);
        assertThat(checkpoint.origin()).isEqualTo("go.sum database tree");
        assertThat(checkpoint.treeSize()).isEqualTo(size);
        assertThat(checkpoint.rootHash()).isEqualTo(Hash.fromBase64(root));
        assertThat(checkpoint.extensionLines()).isEmpty();
        assertThat(checkpoint.body()).isEqualTo(note.body());
        assertThat(note.serialize()).isEqualTo(note(size, root, signature));

        // Any change to the signed text breaks the signature.
        SignedNote resized = SignedNote.parse(note(size + 1, root, signature));
        assertThat(verifier.verify(resized)).isFalse();
        assertThatThrownBy(() -> Checkpoint.verifiedFrom(resized, verifier))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not validly signed");
    }

    @Test
    void computesTheSameKeyIdAsGo() {
        NoteVerifier verifier = NoteVerifier.parse(SUMDB_KEY);
        assertThat(verifier.keyIdHex()).isEqualTo("033de0ae");
        assertThat(verifier.name()).isEqualTo("sum.golang.org");
        assertThat(verifier.toVerifierKey()).isEqualTo(SUMDB_KEY);
    }

    @Test
    void rejectsATruncatedVerifierKey() {
        // 43 base64 characters cannot encode the 33 bytes of type and key.
        assertThatThrownBy(() -> NoteVerifier.parse("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ri18vKHhmWC3SgO"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
