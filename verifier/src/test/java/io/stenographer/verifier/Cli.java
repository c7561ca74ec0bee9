package io.stenographer.verifier;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process and captures what it prints. */
record Cli(int exit, String out, String err) {

    static Cli run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VerifierCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The first offset at or after {@code from} whose character stays a base64 character when its
     * lowest bit is flipped (B-Y, b-y, 0-9), so a flip there changes the decoded bytes rather than
     * breaking the encoding. Signatures are random, so tests cannot hard-code such a position.
     */
    static int base64FlipOffset(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'B' && c <= 'Y') || (c >= 'b' && c <= 'y') || (c >= '0' && c <= '9')) {
                return i;
            }
        }
        throw new AssertionError("no flippable base64 character after offset " + from);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
