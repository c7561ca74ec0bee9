package io.stenographer.verifier;

import io.stenographer.domain.bundle.BundleVerification;
import io.stenographer.domain.bundle.BundleVerifier;
import io.stenographer.domain.bundle.TlogProof;
import io.stenographer.domain.report.bundle.ReportBundleVerification;
import io.stenographer.domain.report.bundle.ReportBundleVerifier;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The offline verifier. It trusts nothing but the verifier key it is given: no network, no server,
 * no key or origin taken from the files it checks.
 *
 * <p>Exit status: {@value #OK} when everything verifies, {@value #FAILED} when something does
 * not (each problem on stderr, prefixed {@code FAIL:}), {@value #USAGE} for a usage error.
 */
public final class VerifierCli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** Largest checkpoint, proof or event file read (bundles are streamed and have no limit). */
    static final long MAX_FILE_BYTES = 1 << 20;

    /** A consistency proof has at most about two hashes per level of a 2^63-leaf tree. */
    private static final int MAX_CONSISTENCY_HASHES = 130;

    static final String USAGE_TEXT = """
            Usage: java -jar stenographer-verifier.jar <command> [options]

            Verifies Stenographer logs, and checkpoints of any C2SP transparency log, offline.
            Nothing in the files is trusted: only the key and the origin given on the command line.
            The origin is required: one signing key may sign many logs (every tenant of an instance).

            Commands:
              verify-bundle      --bundle FILE --origin ORIGIN --key VKEY_OR_FILE
                  an export bundle (NDJSON, stenographer.bundle/v1): checkpoint signature, every
                  event's leaf hash, every inclusion proof, contiguous indices, end count
              verify-report-bundle --bundle FILE.zip --origin ORIGIN --key VKEY_OR_FILE
                  a compliance report bundle (ZIP): every ZIP byte, the signed manifest and file
                  hashes, the checkpoint signature, each event's leaf hash (unless redacted) and
                  each inclusion proof (a redacting public-records export withholds them)
              verify-proof       --proof FILE.tlog-proof (--event EVENT.json | --leaf-hash HEX)
                                 --origin ORIGIN --key VKEY_OR_FILE
                  a c2sp.org/tlog-proof@v1 file for one sealed event (its leaf hash is recomputed)
                  or for a given leaf hash
              verify-checkpoint  --checkpoint FILE --origin ORIGIN --key VKEY_OR_FILE
                  a C2SP signed checkpoint note, from Stenographer or any C2SP log
              verify-consistency --old FILE --new FILE --proof FILE --origin ORIGIN --key VKEY_OR_FILE
                  two signed checkpoints and the RFC 9162 consistency proof between them; the
                  proof file is the API's JSON ({"fromSize":m,"toSize":n,"proof":[...]}) or
                  base64 hashes, one per line
              verify-tiles       --source DIR_OR_URL --origin ORIGIN --key VKEY_OR_FILE [--full]
                                 [--leaf INDEX [--leaf-hash HEX | --event EVENT.json]] [--token-file FILE]
                  a c2sp.org/tlog-tiles log from its checkpoint, tiles and entry bundles alone:
                  by default, that the tiles hash to the signed checkpoint's root; with --leaf,
                  that leaf's inclusion (its hash from --leaf-hash, --event or the entry bundle);
                  with --full, every tile against the tile above it and every entry against its
                  leaf hash. The source is a directory or a base URL (https, or http to localhost);
                  --token-file holds a bearer token sent with each request

              verify-stream      --stream FILE.ndjson --origin ORIGIN --key VKEY_OR_FILE [--format native|ocsf]
                  a captured stream (docs/STREAMING.md): gaps, duplicates (identical ones counted,
                  changed ones failed), each event's leaf hash recomputed from the sealed event it
                  carries (and, for OCSF, the mapped fields against it), each checkpoint record's
                  signature and consistency proof, and inclusion of the events under them.
                  Truncated records (events too large for a syslog sink's messages) fill their
                  index but are reported as not verifiable from the stream: fetch those events
                  from the API. CEF streams do not carry the sealed event and cannot be verified

            VKEY_OR_FILE is a C2SP verifier key (<name>+<hex key id>+<base64 key>) or a file
            holding one, or a key set (one '<verifier key> <first size> <last size or ->' per
            line, as GET /api/v1/logs/{tenant}/key-set serves it): each checkpoint must be
            signed by the key valid at its tree size. Options may be written --name VALUE or
            --name=VALUE.

            Exit status: 0 everything verified; 1 verification failed (details on stderr);
            2 usage error.
            """;

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("verify-bundle", new Command(Set.of("bundle", "origin", "key"), Set.of(),
                VerifierCli::verifyBundle));
        COMMANDS.put("verify-report-bundle", new Command(Set.of("bundle", "origin", "key"), Set.of(),
                VerifierCli::verifyReportBundle));
        COMMANDS.put("verify-proof", new Command(Set.of("proof", "origin", "key"), Set.of("event", "leaf-hash"),
                VerifierCli::verifyProof));
        COMMANDS.put("verify-checkpoint", new Command(Set.of("checkpoint", "origin", "key"), Set.of(),
                VerifierCli::verifyCheckpoint));
        COMMANDS.put("verify-consistency", new Command(Set.of("old", "new", "proof", "origin", "key"), Set.of(),
                VerifierCli::verifyConsistency));
        COMMANDS.put("verify-tiles", new Command(Set.of("source", "origin", "key"),
                Set.of("leaf", "leaf-hash", "event", "token-file"), Set.of("full"), TilesCommand::verifyTiles));
        COMMANDS.put("verify-stream", new Command(Set.of("stream", "origin", "key"), Set.of("format"),
                StreamCommand::verifyStream));
    }

    private VerifierCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit status instead of exiting, so tests can call it. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                throw new UsageError("no command given");
            }
            if (Set.of("help", "--help", "-h").contains(args[0])) {
                out.print(USAGE_TEXT);
                return OK;
            }
            Command command = COMMANDS.get(args[0]);
            if (command == null) {
                throw new UsageError("unknown command '" + args[0] + "'; commands are " + String.join(", ",
                        COMMANDS.keySet()));
            }
            Map<String, String> options = parseOptions(args, command);
            command.action().run(options, out, err);
            return OK;
        } catch (UsageError e) {
            err.println("error: " + e.getMessage());
            err.println("Run with --help for usage.");
            return USAGE;
        } catch (Failure e) {
            err.println("FAIL: " + e.getMessage());
            return FAILED;
        } catch (FailuresPrinted e) {
            return FAILED;
        }
    }

    // ---- commands ------------------------------------------------------------------------

    private static void verifyBundle(Map<String, String> options, PrintStream out, PrintStream err) {
        verifyBundleFile(options, out, err, (key, origin, in) -> {
            BundleVerification result = new BundleVerifier(key, origin).verify(in);
            return new Verdict(result.ok(), result.failures(), result.summary());
        });
    }

    private static void verifyReportBundle(Map<String, String> options, PrintStream out, PrintStream err) {
        verifyBundleFile(options, out, err, (key, origin, in) -> {
            ReportBundleVerification result = new ReportBundleVerifier(key, origin).verify(in);
            return new Verdict(result.ok(), result.failures(), result.summary());
        });
    }

    /** What a bundle verifier concluded, whichever kind of bundle it read. */
    private record Verdict(boolean ok, List<String> failures, String summary) {
    }

    private interface BundleCheck {
        Verdict verify(KeySet key, String origin, InputStream in) throws IOException;
    }

    /** Reads {@code --bundle} with the {@code --key} and {@code --origin} given; prints the verdict. */
    private static void verifyBundleFile(Map<String, String> options, PrintStream out, PrintStream err,
            BundleCheck check) {
        KeySet key = key(options.get("key"));
        Path file = existingFile(options.get("bundle"), "--bundle");
        Verdict result;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            result = check.verify(key, options.get("origin"), in);
        } catch (IOException e) {
            throw new UsageError("cannot read --bundle " + file + ": " + e.getMessage());
        }
        if (!result.ok()) {
            result.failures().forEach(failure -> err.println("FAIL: " + failure));
            err.println(result.summary() + " in " + file);
            throw new FailuresPrinted();
        }
        out.println(result.summary());
    }

    private static void verifyProof(Map<String, String> options, PrintStream out, PrintStream err) {
        boolean byEvent = options.containsKey("event");
        if (byEvent == options.containsKey("leaf-hash")) {
            throw new UsageError("verify-proof needs exactly one of --event and --leaf-hash");
        }
        KeySet key = key(options.get("key"));
        String origin = options.get("origin");
        Path proofFile = existingFile(options.get("proof"), "--proof");
        Hash leafHash;
        String subject;
        if (byEvent) {
            Path eventFile = existingFile(options.get("event"), "--event");
            JsonObject event = sealedEvent(eventFile);
            leafHash = leafHashOf(event);
            subject = "event " + ((JsonString) event.get("id")).value() + ": ";
        } else {
            try {
                leafHash = Hash.fromHex(options.get("leaf-hash"));
            } catch (IllegalArgumentException e) {
                throw new UsageError("--leaf-hash must be 64 hex digits: " + e.getMessage());
            }
            subject = "";
        }
        TlogProof proof;
        try {
            proof = TlogProof.parse(readText(proofFile));
        } catch (IllegalArgumentException e) {
            throw new Failure(proofFile + " is not a valid tlog-proof: " + e.getMessage());
        }
        TlogProof.Verification verification = proof.verify(leafHash, key, origin);
        if (!verification.ok()) {
            throw new Failure(subject + verification.message());
        }
        out.println("OK: " + subject + verification.message());
    }

    private static void verifyCheckpoint(Map<String, String> options, PrintStream out, PrintStream err) {
        KeySet key = key(options.get("key"));
        Path file = existingFile(options.get("checkpoint"), "--checkpoint");
        Checkpoint checkpoint = verifiedCheckpoint(file, key, "checkpoint");
        requireOrigin(checkpoint, options.get("origin"), "checkpoint");
        String signers = signedNote(file, "checkpoint").signatures().stream().filter(key::names)
                .map(signature -> signature.keyName() + "+" + signature.keyIdHex())
                .distinct().collect(Collectors.joining(", "));
        out.println("OK: checkpoint of " + checkpoint.origin() + " at tree size " + checkpoint.treeSize()
                + ", root " + checkpoint.rootHash().base64() + ", signed by " + signers);
    }

    private static void verifyConsistency(Map<String, String> options, PrintStream out, PrintStream err) {
        KeySet key = key(options.get("key"));
        Path oldFile = existingFile(options.get("old"), "--old");
        Path newFile = existingFile(options.get("new"), "--new");
        Path proofFile = existingFile(options.get("proof"), "--proof");
        Checkpoint older = verifiedCheckpoint(oldFile, key, "old checkpoint");
        Checkpoint newer = verifiedCheckpoint(newFile, key, "new checkpoint");
        if (!older.origin().equals(newer.origin())) {
            throw new Failure("the checkpoints come from different logs: old is " + quote(older.origin())
                    + ", new is " + quote(newer.origin()));
        }
        String origin = options.get("origin");
        if (origin != null) {
            requireOrigin(older, origin, "old checkpoint");
        }
        if (older.treeSize() > newer.treeSize()) {
            throw new Failure("old checkpoint size " + older.treeSize() + " is larger than new checkpoint size "
                    + newer.treeSize() + " (are --old and --new swapped?)");
        }
        ConsistencyProof proof = consistencyProof(proofFile, older, newer);
        if (!proof.verify(older.rootHash(), newer.rootHash())) {
            throw new Failure("consistency proof from size " + older.treeSize() + " to size " + newer.treeSize()
                    + " does not verify: it does not show the old tree to be a prefix of the new one");
        }
        out.println("OK: checkpoint size " + older.treeSize() + " is consistent with checkpoint size "
                + newer.treeSize() + " of " + newer.origin() + " (" + proof.path().size() + " proof hashes)");
    }

    // ---- pieces --------------------------------------------------------------------------

    private static Checkpoint verifiedCheckpoint(Path file, KeySet keys, String what) {
        return verifiedCheckpoint(readText(file), file.toString(), keys, what);
    }

    /** A checkpoint note read from {@code where} (a file, a URL), verified with the trusted keys. */
    static Checkpoint verifiedCheckpoint(String text, String where, KeySet keys, String what) {
        SignedNote note = signedNote(text, where, what);
        try {
            Checkpoint.parseBody(note.body());
        } catch (IllegalArgumentException e) {
            throw new Failure(what + " " + where + ": checkpoint body is malformed: " + e.getMessage());
        }
        try {
            return keys.verify(note);
        } catch (IllegalArgumentException e) {
            String signers = note.signatures().stream()
                    .map(signature -> signature.keyName() + "+" + signature.keyIdHex())
                    .distinct().collect(Collectors.joining(", "));
            throw new Failure(what + " " + where + ": signature does not verify with key " + keys.label()
                    + " (the note carries signatures by " + signers + "): " + e.getMessage());
        }
    }

    private static SignedNote signedNote(Path file, String what) {
        return signedNote(readText(file), file.toString(), what);
    }

    private static SignedNote signedNote(String text, String where, String what) {
        try {
            return SignedNote.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Failure(what + " " + where + " is not a valid signed note: " + e.getMessage());
        }
    }

    static void requireOrigin(Checkpoint checkpoint, String origin, String what) {
        if (!checkpoint.origin().equals(origin)) {
            throw new Failure(what + " origin " + quote(checkpoint.origin()) + " is not the expected origin "
                    + quote(origin));
        }
    }

    /** The leaf hash of a sealed event: RFC 6962's, over its canonical JSON. */
    static Hash leafHashOf(JsonObject sealedEvent) {
        return MerkleHashes.leafHash(CanonicalJson.canonicalBytes(sealedEvent));
    }

    static JsonObject sealedEvent(Path file) {
        JsonValue value;
        try {
            value = JsonParser.parse(readText(file), 64);
        } catch (IllegalArgumentException e) {
            throw new Failure("--event " + file + " is not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof JsonObject event)) {
            throw new Failure("--event " + file + " is not a JSON object");
        }
        AuditEvent sealed;
        try {
            sealed = SealedEventFormat.fromJson(event);
        } catch (IllegalArgumentException e) {
            throw new Failure("--event " + file + " is not a valid sealed event: " + e.getMessage());
        }
        if (!CanonicalJson.canonicalize(SealedEventFormat.toJson(sealed)).equals(CanonicalJson.canonicalize(event))) {
            throw new Failure("--event " + file + " is not in sealed form: reading and re-sealing its fields "
                    + "changes it (a non-canonical timestamp or an unknown nested member)");
        }
        return event;
    }

    /** The proof file as the API's JSON, or as base64 hashes one per line. */
    private static ConsistencyProof consistencyProof(Path file, Checkpoint older, Checkpoint newer) {
        String text = readText(file);
        List<Hash> hashes = text.stripLeading().startsWith("{")
                ? jsonConsistencyProof(file, text, older, newer) : plainConsistencyProof(file, text);
        if (hashes.size() > MAX_CONSISTENCY_HASHES) {
            throw new Failure("--proof " + file + " has " + hashes.size() + " hashes, more than any consistency "
                    + "proof needs");
        }
        return new ConsistencyProof(older.treeSize(), newer.treeSize(), hashes);
    }

    private static List<Hash> jsonConsistencyProof(Path file, String text, Checkpoint older, Checkpoint newer) {
        String where = "--proof " + file;
        JsonObject json;
        try {
            json = (JsonObject) JsonParser.parse(text, 8);
        } catch (IllegalArgumentException e) {
            throw new Failure(where + " is not valid JSON: " + e.getMessage());
        }
        long fromSize = size(json, "fromSize", where);
        long toSize = size(json, "toSize", where);
        if (fromSize != older.treeSize() || toSize != newer.treeSize()) {
            throw new Failure(where + " is a proof from size " + fromSize + " to size " + toSize
                    + ", but the checkpoints have sizes " + older.treeSize() + " and " + newer.treeSize());
        }
        // The API also returns the roots and notes; when present they must be the checkpoints given.
        sameRoot(json, "fromRootHash", older, where);
        sameRoot(json, "toRootHash", newer, where);
        sameNote(json, "fromCheckpoint", older, where);
        sameNote(json, "toCheckpoint", newer, where);
        if (!(json.get("proof") instanceof JsonArray array)) {
            throw new Failure(where + " has no 'proof' array of base64 hashes");
        }
        List<Hash> hashes = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            if (!(array.elements().get(i) instanceof JsonString hash)) {
                throw new Failure(where + ": proof hash " + i + " is not a string");
            }
            hashes.add(hash(hash.value(), where + ": proof hash " + i));
        }
        return hashes;
    }

    private static List<Hash> plainConsistencyProof(Path file, String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        List<Hash> hashes = new ArrayList<>();
        if (body.isEmpty()) {
            return hashes;
        }
        String[] lines = body.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            hashes.add(hash(lines[i], "--proof " + file + " line " + (i + 1)));
        }
        return hashes;
    }

    private static long size(JsonObject json, String name, String where) {
        if (!(json.get(name) instanceof JsonNumber number) || number.value() < 0
                || number.value() != Math.rint(number.value()) || number.value() > 0x1p53) {
            throw new Failure(where + " has no valid '" + name + "' (a non-negative integer)");
        }
        return (long) number.value();
    }

    private static void sameRoot(JsonObject json, String name, Checkpoint checkpoint, String where) {
        JsonValue value = json.get(name);
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonString text) || !hash(text.value(), where + ": " + name).equals(checkpoint.rootHash())) {
            throw new Failure(where + ": " + name + " is not the root hash of the checkpoint of size "
                    + checkpoint.treeSize());
        }
    }

    private static void sameNote(JsonObject json, String name, Checkpoint checkpoint, String where) {
        JsonValue value = json.get(name);
        if (value == null) {
            return;
        }
        boolean same;
        try {
            same = value instanceof JsonString text && SignedNote.parse(text.value()).body().equals(checkpoint.body());
        } catch (IllegalArgumentException e) {
            same = false;
        }
        if (!same) {
            throw new Failure(where + ": " + name + " is not the checkpoint of size " + checkpoint.treeSize()
                    + " given on the command line");
        }
    }

    private static Hash hash(String base64, String where) {
        try {
            return Hash.fromBase64(base64);
        } catch (IllegalArgumentException e) {
            throw new Failure(where + " is invalid: " + e.getMessage());
        }
    }

    // ---- input ---------------------------------------------------------------------------

    /**
     * The trusted keys: a file holding a verifier key or a key set ({@link KeySet#toText()}, as served at
     * /api/v1/logs/{tenant}/key-set), or a verifier key itself. A file wins when
     * both readings are possible, since a key string is never a path that exists.
     */
    static KeySet key(String value) {
        Path path = pathOrNull(value);
        if (path != null && Files.isRegularFile(path)) {
            try {
                return KeySet.parse(readText(path));
            } catch (IllegalArgumentException e) {
                throw new UsageError("--key file " + path + " does not hold a verifier key or key set: "
                        + e.getMessage());
            }
        }
        try {
            return KeySet.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--key is neither an existing file nor a verifier key "
                    + "(<name>+<hex key id>+<base64 key>): " + e.getMessage());
        }
    }

    static Path existingFile(String value, String option) {
        Path path = pathOrNull(value);
        if (path == null || !Files.isRegularFile(path)) {
            throw new UsageError(option + " " + value + ": no such file");
        }
        if (!Files.isReadable(path)) {
            throw new UsageError(option + " " + value + ": file is not readable");
        }
        return path;
    }

    private static Path pathOrNull(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** A small text file, decoded as strict UTF-8. */
    static String readText(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new Failure(file + " is larger than " + MAX_FILE_BYTES + " bytes, too large for this input");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageError("cannot read " + file + ": " + e.getMessage());
        }
        return utf8(bytes, file.toString());
    }

    /** Bytes read from {@code where}, decoded as strict UTF-8. */
    static String utf8(byte[] bytes, String where) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Failure(where + " is not valid UTF-8");
        }
    }

    private static Map<String, String> parseOptions(String[] args, Command command) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageError("unexpected argument '" + arg + "'; options start with --");
            }
            String name;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(2, equals);
                value = arg.substring(equals + 1);
                if (command.flags().contains(name)) {
                    throw new UsageError("--" + name + " takes no value");
                }
            } else if (command.flags().contains(arg.substring(2))) {
                name = arg.substring(2);
                value = "true";
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new UsageError("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!command.required().contains(name) && !command.optional().contains(name)
                    && !command.flags().contains(name)) {
                throw new UsageError(args[0] + " has no option --" + name);
            }
            if (options.put(name, value) != null) {
                throw new UsageError("--" + name + " is given more than once");
            }
        }
        for (String name : command.required()) {
            if (!options.containsKey(name)) {
                throw new UsageError(args[0] + " needs --" + name);
            }
        }
        return options;
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("'");
        text.codePoints().limit(100).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(text.codePointCount(0, text.length()) > 100 ? "...'" : "'").toString();
    }

    // ---- plumbing ------------------------------------------------------------------------

    /** A command's options: required and optional ones take a value, flags take none. */
    private record Command(Set<String> required, Set<String> optional, Set<String> flags, Action action) {

        Command(Set<String> required, Set<String> optional, Action action) {
            this(required, optional, Set.of(), action);
        }
    }

    @FunctionalInterface
    private interface Action {
        void run(Map<String, String> options, PrintStream out, PrintStream err);
    }

    /** The command line is wrong: exit {@value #USAGE}. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    /** Something did not verify: exit {@value #FAILED} with this message. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** The failures (a bundle's, a full tiles check's) have been printed already: exit {@value #FAILED}. */
    static final class FailuresPrinted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FailuresPrinted() {
            super(null, null, false, false);
        }
    }
}
