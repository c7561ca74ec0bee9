package io.stenographer.verifier;

import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.stream.StreamRecordFormat;
import io.stenographer.domain.stream.StreamVerification;
import io.stenographer.domain.stream.StreamVerifier;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code verify-stream}: a captured stream (NDJSON of native records, or of OCSF events with native checkpoint
 * records), checked by the domain's {@link StreamVerifier}. The file is read line by line, so its size is not
 * limited; each line is (docs/STREAMING.md).
 */
final class StreamCommand {

    private StreamCommand() {
    }

    static void verifyStream(Map<String, String> options, PrintStream out, PrintStream err) {
        KeySet key = VerifierCli.key(options.get("key"));
        Path file = VerifierCli.existingFile(options.get("stream"), "--stream");
        StreamVerifier.Format format = switch (options.getOrDefault("format", "native")) {
            case "native" -> StreamVerifier.Format.NATIVE;
            case "ocsf" -> StreamVerifier.Format.OCSF;
            case "cef" -> throw new VerifierCli.UsageError("--format cef cannot be verified: a CEF line does not "
                    + "carry the sealed event in full, so its leaf hash cannot be recomputed; capture the native or "
                    + "OCSF format to verify a stream");
            default -> throw new VerifierCli.UsageError("--format must be native or ocsf, not "
                    + VerifierCli.quote(options.get("format")));
        };
        StreamVerifier verifier = new StreamVerifier(key, options.get("origin"), format);
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
            lines(reader, verifier::accept);
        } catch (CharacterCodingException e) {
            throw new VerifierCli.Failure("--stream " + file + " is not valid UTF-8");
        } catch (IOException e) {
            throw new VerifierCli.UsageError("cannot read --stream " + file + ": " + e.getMessage());
        }
        StreamVerification result = verifier.finish();
        result.notes().forEach(note -> out.println("NOTE: " + note));
        if (!result.ok()) {
            result.failures().forEach(failure -> err.println("FAIL: " + failure));
            if (result.failureCount() > result.failures().size()) {
                err.println("FAIL: ... and " + (result.failureCount() - result.failures().size()) + " more");
            }
            err.println(result.summary() + " in " + file);
            throw new VerifierCli.FailuresPrinted();
        }
        if (result.events() > result.truncated() && result.provenEvents() == 0) {
            // Events after the last checkpoint record are the normal unproven tail; a capture none of whose events
            // a signed checkpoint vouches for says nothing the key stands behind, and must not exit 0.
            err.println("FAIL: no event of the capture is proven included under a signed checkpoint (capture it"
                    + " across a checkpoint record, or replay the sink from an index a checkpoint covers)");
            err.println(result.summary() + " in " + file);
            throw new VerifierCli.FailuresPrinted();
        }
        out.println(result.summary());
    }

    /**
     * Hands each line (without its line feed) to {@code sink}. A line longer than the format's limit is cut to one
     * character over it, so the verifier refuses it without this reader holding it whole.
     */
    static void lines(Reader reader, Consumer<String> sink) throws IOException {
        StringBuilder line = new StringBuilder();
        char[] buffer = new char[1 << 16];
        boolean pending = false;
        int read;
        while ((read = reader.read(buffer)) >= 0) {
            for (int i = 0; i < read; i++) {
                char c = buffer[i];
                if (c == '\n') {
                    sink.accept(line.toString());
                    line.setLength(0);
                    pending = false;
                } else {
                    pending = true;
                    if (line.length() <= StreamRecordFormat.MAX_LINE_CHARS) {
                        line.append(c);
                    }
                }
            }
        }
        if (pending) {
            sink.accept(line.toString());
        }
    }
}
