package io.stenographer.client;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.merkle.ConsistencyProof;
import io.stenographer.domain.merkle.Hash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The client as a small monitor of its log: the last checkpoint it verified, and the rule that every newer one must
 * extend it, proved by a consistency proof. Kept in memory, and in {@code last-checkpoint.note} under the state
 * directory when there is one, so a restarted application still notices a log rolled back while it was away.
 */
final class TrustedLog {

    static final String STATE_FILE = "last-checkpoint.note";

    /** Fetches the consistency proof between two published sizes. */
    @FunctionalInterface
    interface ConsistencyProofs {
        List<Hash> between(long fromSize, long toSize);
    }

    private final NoteVerifier key;
    private final String origin;
    private final Path stateFile;
    private Checkpoint trusted;
    private String trustedNote;

    TrustedLog(NoteVerifier key, String origin, Path stateDirectory) {
        this.key = key;
        this.origin = origin;
        this.stateFile = stateDirectory == null ? null : stateDirectory.resolve(STATE_FILE);
        if (stateFile != null && Files.exists(stateFile)) {
            try {
                String note = Files.readString(stateFile, StandardCharsets.UTF_8);
                this.trusted = signed(note);
                this.trustedNote = note;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the last verified checkpoint " + stateFile, e);
            } catch (LogIntegrityException e) {
                throw new AuditClientException("the stored last verified checkpoint " + stateFile
                        + " is not a checkpoint of this log under the pinned key: " + e.getMessage());
            }
        }
    }

    /** Parses a signed note and checks it is signed by the pinned key, for the pinned origin. */
    Checkpoint signed(String noteText) {
        synchronized (this) {
            if (noteText.equals(trustedNote)) {
                return trusted; // these very bytes were verified already
            }
        }
        SignedNote note;
        try {
            note = SignedNote.parse(noteText);
        } catch (IllegalArgumentException e) {
            throw new LogIntegrityException.UntrustedCheckpoint("the checkpoint is not a signed note: "
                    + e.getMessage());
        }
        if (!key.verify(note)) {
            throw new LogIntegrityException.UntrustedCheckpoint("the checkpoint is not signed by the pinned key "
                    + key.name() + "+" + key.keyIdHex());
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parseBody(note.body());
        } catch (IllegalArgumentException e) {
            throw new LogIntegrityException.UntrustedCheckpoint("the signed checkpoint is malformed: "
                    + e.getMessage());
        }
        if (!checkpoint.origin().equals(origin)) {
            throw new LogIntegrityException.UntrustedCheckpoint("the checkpoint is of log '" + checkpoint.origin()
                    + "', not of the pinned log '" + origin + "'");
        }
        return checkpoint;
    }

    /**
     * Accepts a checkpoint the service presented: it must be consistent with the last verified one. A larger one
     * becomes the verified one. A smaller one is a rollback when the service presented it as its latest
     * ({@code claimedLatest}); otherwise it is an older view (a proof fetched while another thread verified a newer
     * checkpoint) and must be a prefix of the verified one. The same size with another root, or a failing
     * consistency proof, is a fork.
     */
    synchronized void advanceTo(Checkpoint latest, String noteText, ConsistencyProofs proofs, boolean claimedLatest) {
        if (trusted == null) {
            remember(latest, noteText);
            return;
        }
        if (latest.treeSize() < trusted.treeSize()) {
            if (claimedLatest) {
                throw new LogIntegrityException.LogRolledBack("the log's latest checkpoint has " + latest.treeSize()
                        + " leaves, but this client already verified one with " + trusted.treeSize());
            }
            ConsistencyProof older = new ConsistencyProof(latest.treeSize(), trusted.treeSize(),
                    proofs.between(latest.treeSize(), trusted.treeSize()));
            if (!older.verify(latest.rootHash(), trusted.rootHash())) {
                throw new LogIntegrityException.LogForked("the checkpoint of size " + latest.treeSize()
                        + " is not a prefix of the verified one of size " + trusted.treeSize());
            }
            return;
        }
        if (latest.treeSize() == trusted.treeSize()) {
            if (!latest.rootHash().equals(trusted.rootHash())) {
                throw new LogIntegrityException.LogForked("two checkpoints of size " + latest.treeSize()
                        + " have different roots: the log was forked");
            }
            return;
        }
        List<Hash> path = proofs.between(trusted.treeSize(), latest.treeSize());
        ConsistencyProof proof = new ConsistencyProof(trusted.treeSize(), latest.treeSize(), path);
        if (!proof.verify(trusted.rootHash(), latest.rootHash())) {
            throw new LogIntegrityException.LogForked("the checkpoint of size " + latest.treeSize()
                    + " does not extend the verified one of size " + trusted.treeSize()
                    + ": its consistency proof fails");
        }
        remember(latest, noteText);
    }

    synchronized Checkpoint trusted() {
        return trusted;
    }

    synchronized String trustedNote() {
        return trustedNote;
    }

    private void remember(Checkpoint checkpoint, String noteText) {
        if (stateFile != null) {
            write(noteText);
        }
        trusted = checkpoint;
        trustedNote = noteText;
    }

    /** Written to a temporary file, forced, and moved over the old one, so a crash leaves one or the other. */
    private void write(String noteText) {
        try {
            Path temporary = stateFile.resolveSibling(STATE_FILE + ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(noteText.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(temporary, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the last verified checkpoint in " + stateFile, e);
        }
    }
}
