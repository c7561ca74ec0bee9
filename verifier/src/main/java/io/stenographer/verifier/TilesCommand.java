package io.stenographer.verifier;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.NodeRef;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.tiles.EntryBundle;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.tiles.TileLayout;
import io.stenographer.domain.tiles.TiledHashSource;
import io.stenographer.verifier.VerifierCli.Failure;
import io.stenographer.verifier.VerifierCli.FailuresPrinted;
import io.stenographer.verifier.VerifierCli.UsageError;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * verify-tiles: checks a c2sp.org/tlog-tiles log from its signed checkpoint, tiles and entry bundles alone. The
 * checkpoint is verified like verify-checkpoint does; every tile and bundle is then only trusted as far as it hashes
 * up to that checkpoint's root.
 */
final class TilesCommand {

    /** A full tile: 256 hashes. */
    static final int MAX_TILE_BYTES = Tile.FULL_WIDTH * Hash.LENGTH;
    /** Problems --full lists before it stops: past that, more lines would bury the first ones. */
    static final int MAX_REPORTED_PROBLEMS = 20;
    /** Marker positions named in the --full summary; the rest are only counted. */
    private static final int MARKERS_NAMED = 5;

    private final TileSource source;
    private final Checkpoint checkpoint;
    private final long treeSize;
    private int tilesRead;
    /** A digest of every tile read, by path: a second read must give the same tile. */
    private final Map<String, byte[]> tilesSeen = new HashMap<>();

    private TilesCommand(TileSource source, Checkpoint checkpoint) {
        this.source = source;
        this.checkpoint = checkpoint;
        this.treeSize = checkpoint.treeSize();
    }

    /** A leaf hash the caller vouches for, and how to name it in messages. */
    private record ClaimedLeaf(Hash hash, String description) {
    }

    static void verifyTiles(Map<String, String> options, PrintStream out, PrintStream err) {
        boolean full = options.containsKey("full");
        boolean hasLeaf = options.containsKey("leaf");
        boolean byEvent = options.containsKey("event");
        boolean byHash = options.containsKey("leaf-hash");
        if (byEvent && byHash) {
            throw new UsageError("verify-tiles takes at most one of --event and --leaf-hash");
        }
        if ((byEvent || byHash) && !hasLeaf) {
            throw new UsageError("--event and --leaf-hash give the hash of the leaf at --leaf INDEX; give --leaf");
        }
        if (full && hasLeaf) {
            throw new UsageError("--full checks every leaf; give --leaf without --full");
        }
        long leaf = hasLeaf ? leafIndex(options.get("leaf")) : -1;
        KeySet key = VerifierCli.key(options.get("key"));
        // Read what the command line names before fetching anything, so its mistakes come first.
        ClaimedLeaf claimed = byHash ? claimedHash(options.get("leaf-hash"))
                : byEvent ? claimedEvent(options.get("event")) : null;
        TileSource source = TileSource.open(options.get("source"), options.get("token-file"));
        TilesCommand command = new TilesCommand(source, checkpoint(source, key, options.get("origin")));
        if (full) {
            command.verifyEverything(out, err);
        } else if (hasLeaf) {
            command.verifyLeaf(leaf, claimed, out);
        } else {
            command.verifyRoot(out);
        }
    }

    private static long leafIndex(String text) {
        if (!text.matches("[0-9]{1,19}")) {
            throw new UsageError("--leaf must be a leaf index (a non-negative decimal integer), was "
                    + VerifierCli.quote(text));
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageError("--leaf " + text + " is too large for a leaf index");
        }
    }

    private static ClaimedLeaf claimedHash(String hex) {
        try {
            Hash hash = Hash.fromHex(hex);
            return new ClaimedLeaf(hash, "leaf hash " + hash.hex() + " from --leaf-hash");
        } catch (IllegalArgumentException e) {
            throw new UsageError("--leaf-hash must be 64 hex digits: " + e.getMessage());
        }
    }

    private static ClaimedLeaf claimedEvent(String file) {
        Path eventFile = VerifierCli.existingFile(file, "--event");
        JsonObject event = VerifierCli.sealedEvent(eventFile);
        Hash hash = VerifierCli.leafHashOf(event);
        return new ClaimedLeaf(hash, "event " + ((JsonString) event.get("id")).value() + ", leaf hash " + hash.hex());
    }

    private static Checkpoint checkpoint(TileSource source, KeySet key, String origin) {
        String where = source.locate("checkpoint");
        byte[] note = source.read("checkpoint", VerifierCli.MAX_FILE_BYTES, "checkpoint");
        Checkpoint checkpoint = VerifierCli.verifiedCheckpoint(VerifierCli.utf8(note, where), where, key,
                "checkpoint");
        VerifierCli.requireOrigin(checkpoint, origin, "checkpoint");
        return checkpoint;
    }

    // ---- the three checks ----------------------------------------------------------------

    private void verifyRoot(PrintStream out) {
        Hash root = rootFromTiles();
        if (!root.equals(checkpoint.rootHash())) {
            throw new Failure("the tiles hash to root " + root.base64() + ", not the checkpoint root "
                    + checkpoint.rootHash().base64() + " at tree size " + treeSize);
        }
        out.println("OK: the tiles of " + checkpoint.origin() + " hash to the checkpoint root "
                + root.base64() + " at tree size " + treeSize + " (" + tilesRead + " tiles read from "
                + source.describe() + ")");
    }

    private void verifyLeaf(long leaf, ClaimedLeaf claimed, PrintStream out) {
        if (leaf >= treeSize) {
            throw new Failure("leaf " + leaf + " is beyond the checkpoint's tree size " + treeSize);
        }
        TiledHashSource hashes = new TiledHashSource(treeSize, this::readTile);
        Hash inTile = hashes.nodeHash(new NodeRef(0, leaf));
        InclusionProof proof = InclusionProof.compute(leaf, treeSize, hashes);
        Tile levelZero = levelZeroTileHolding(leaf);
        ClaimedLeaf subject = claimed;
        boolean marker = false;
        if (subject == null) {
            byte[] entry = readEntries(levelZero).get((int) (leaf % Tile.FULL_WIDTH));
            // No sealed event is empty: an empty entry stands for one too long for the bundle's 16-bit prefix.
            marker = entry.length == 0;
            if (marker) {
                subject = new ClaimedLeaf(inTile, "leaf hash " + inTile.hex() + " read off " + levelZero.path()
                        + "; the entry bundle has only a marker for it");
            } else {
                Hash entryHash = MerkleHashes.leafHash(entry);
                if (!entryHash.equals(inTile)) {
                    throw new Failure("entry " + leaf + " in " + levelZero.entriesPath() + " hashes to "
                            + entryHash.hex() + ", but " + levelZero.path() + " holds " + inTile.hex() + " for it");
                }
                subject = new ClaimedLeaf(entryHash, "leaf hash " + entryHash.hex() + " of its entry in "
                        + levelZero.entriesPath());
            }
        }
        if (!proof.verify(subject.hash(), checkpoint.rootHash())) {
            throw notIncluded(leaf, subject, inTile, proof);
        }
        out.println("OK: leaf " + leaf + " (" + subject.description() + ") is included in the checkpoint of "
                + checkpoint.origin() + " at tree size " + treeSize + " (an inclusion proof of "
                + proof.path().size() + " hashes from " + tilesRead + " tiles read from " + source.describe() + ")");
        if (marker) {
            out.println("NOTE: entry " + leaf + " is longer than " + EntryBundle.MAX_ENTRY_BYTES + " bytes, so the "
                    + "entry bundle carries an empty marker instead of it; fetch the event from the event API and "
                    + "check it with --event");
        }
    }

    /** Says whether the claimed hash or the tiles themselves are what does not lead to the checkpoint. */
    private Failure notIncluded(long leaf, ClaimedLeaf subject, Hash inTile, InclusionProof proof) {
        boolean tilesMatch = proof.verify(inTile, checkpoint.rootHash());
        if (!subject.hash().equals(inTile)) {
            return new Failure("leaf " + leaf + " is not " + subject.description() + ": the tiles hold leaf hash "
                    + inTile.hex() + " at index " + leaf + (tilesMatch ? ", and that one is in the checkpoint"
                            : ", and the tiles do not match the checkpoint root either"));
        }
        return new Failure("the inclusion proof of leaf " + leaf + " read off the tiles leads to root "
                + proof.rootFrom(inTile).base64() + ", not the checkpoint root " + checkpoint.rootHash().base64()
                + ": the tiles do not match the checkpoint");
    }

    /** A tile as read, or why it could not be: kept for the tiles below it, so each is read once. */
    private record LoadedTile(Tile tile, List<Hash> hashes, Failure failure) {

        List<Hash> hashesOrThrow() {
            if (failure != null) {
                throw failure;
            }
            return hashes;
        }
    }

    /**
     * Streams the whole tree: each tile once (plus the few the root is computed from), level by level, holding only
     * the current tile, its entry bundle and one tile per level above.
     */
    private void verifyEverything(PrintStream out, PrintStream err) {
        long started = System.nanoTime();
        Set<String> problems = new LinkedHashSet<>();
        Map<Integer, LoadedTile> upperTiles = new HashMap<>();
        EntryTally entries = new EntryTally();
        List<Tile> tiles = TileLayout.tilesOf(treeSize);
        long tilesChecked = 0;
        boolean stopped = false;
        for (Tile tile : tiles) {
            if (problems.size() >= MAX_REPORTED_PROBLEMS) {
                stopped = true;
                break;
            }
            List<Hash> hashes;
            try {
                hashes = loadTile(tile, upperTiles.get(tile.level())).hashesOrThrow();
            } catch (Failure f) {
                problems.add(f.getMessage());
                continue;
            }
            tilesChecked++;
            if (tile.level() == 0) {
                entries.check(tile, hashes, problems);
            }
            if (tile.isFull()) {
                checkAgainstTileAbove(tile, hashes, upperTiles, problems);
            }
        }
        if (!stopped) {
            try {
                Hash root = rootFromTiles();
                if (!root.equals(checkpoint.rootHash())) {
                    problems.add("the tiles hash to root " + root.base64() + ", not the checkpoint root "
                            + checkpoint.rootHash().base64() + " at tree size " + treeSize);
                }
            } catch (Failure f) {
                problems.add(f.getMessage());
            }
        }
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-9);
        String summary = String.format(Locale.ROOT, "tree size %d, %d of %d tiles checked, %d entries checked, "
                + "%d oversized-entry markers, %.2f s, %.0f entries/s", treeSize, tilesChecked, tiles.size(),
                entries.checked, entries.markers, seconds, entries.checked / seconds);
        if (!problems.isEmpty()) {
            problems.stream().limit(MAX_REPORTED_PROBLEMS).forEach(problem -> err.println("FAIL: " + problem));
            if (stopped || problems.size() > MAX_REPORTED_PROBLEMS) {
                err.println("stopped after " + MAX_REPORTED_PROBLEMS + " problems");
            }
            err.println(summary + " in " + source.describe());
            throw new FailuresPrinted();
        }
        out.println("OK: every tile and entry of " + checkpoint.origin() + " at tree size " + treeSize
                + " matches the checkpoint root " + checkpoint.rootHash().base64());
        out.println(summary);
        if (entries.markers > 0) {
            out.println("NOTE: " + entries.markers + " entries are longer than " + EntryBundle.MAX_ENTRY_BYTES
                    + " bytes and carried as empty markers (at index " + entries.markerIndexesNamed()
                    + "): only their leaf hashes were checked; fetch those events from the event API");
        }
    }

    /** The tile, reusing the one kept for its level when it is that one (tiles above level 0 are kept). */
    private LoadedTile loadTile(Tile tile, LoadedTile kept) {
        if (kept != null && kept.tile().equals(tile)) {
            return kept;
        }
        try {
            return new LoadedTile(tile, readTile(tile), null);
        } catch (Failure f) {
            return new LoadedTile(tile, null, f);
        }
    }

    /** A full tile's root must be the hash the next level of tiles stores for it (spec: "Merkle Tree"). */
    private void checkAgainstTileAbove(Tile tile, List<Hash> hashes, Map<Integer, LoadedTile> upperTiles,
            Set<String> problems) {
        int aboveLevel = tile.level() + 1;
        long hashesAbove = treeSize >>> (aboveLevel * Tile.HEIGHT);
        long aboveIndex = tile.index() / Tile.FULL_WIDTH;
        Tile above = new Tile(aboveLevel, aboveIndex,
                (int) Math.min(Tile.FULL_WIDTH, hashesAbove - aboveIndex * Tile.FULL_WIDTH));
        LoadedTile loaded = loadTile(above, upperTiles.get(aboveLevel));
        upperTiles.put(aboveLevel, loaded);
        if (loaded.failure() != null) {
            problems.add(loaded.failure().getMessage());
            return;
        }
        int position = (int) (tile.index() % Tile.FULL_WIDTH);
        Hash root = TileLayout.rootOf(hashes);
        Hash stored = loaded.hashes().get(position);
        if (!root.equals(stored)) {
            problems.add(tile.path() + " hashes to " + root.hex() + ", but " + above.path() + " holds "
                    + stored.hex() + " for it at position " + position);
        }
    }

    /** Entry-bundle results of --full. */
    private final class EntryTally {
        long checked;
        long markers;
        private final List<Long> markerIndexes = new ArrayList<>();

        void check(Tile tile, List<Hash> hashes, Set<String> problems) {
            List<byte[]> bundle;
            try {
                bundle = readEntries(tile);
            } catch (Failure f) {
                problems.add(f.getMessage());
                return;
            }
            for (int i = 0; i < bundle.size(); i++) {
                long index = tile.firstHash() + i;
                byte[] entry = bundle.get(i);
                if (entry.length == 0) {
                    markers++;
                    if (markerIndexes.size() < MARKERS_NAMED) {
                        markerIndexes.add(index);
                    }
                    continue;
                }
                checked++;
                Hash entryHash = MerkleHashes.leafHash(entry);
                if (!entryHash.equals(hashes.get(i))) {
                    problems.add("entry " + index + " in " + tile.entriesPath() + " hashes to " + entryHash.hex()
                            + ", but " + tile.path() + " holds " + hashes.get(i).hex() + " for it");
                }
            }
        }

        String markerIndexesNamed() {
            String named = markerIndexes.toString().replaceAll("[\\[\\]]", "");
            return markers > markerIndexes.size() ? named + ", ..." : named;
        }
    }

    // ---- reading tiles and bundles ------------------------------------------------------

    private Hash rootFromTiles() {
        if (treeSize == 0) {
            return MerkleHashes.emptyRoot();
        }
        return new TiledHashSource(treeSize, this::readTile).subtreeHash(0, treeSize);
    }

    /** The level-0 tile holding {@code leaf}, as wide as the tree has it. */
    private Tile levelZeroTileHolding(long leaf) {
        Tile narrowest = Tile.holding(new NodeRef(0, leaf));
        return narrowest.withWidth((int) Math.min(Tile.FULL_WIDTH, treeSize - narrowest.firstHash()));
    }

    /**
     * A tile's hashes, exactly as many as its width. A tile read twice (one above level 0 is read for the tiles below
     * it and again for the root) must come back the same: a log could otherwise vouch for forged tiles with one
     * answer and match the signed root with another.
     */
    private List<Hash> readTile(Tile tile) {
        List<Hash> hashes = fetchTile(tile);
        byte[] fingerprint = sha256(TileLayout.encode(hashes));
        byte[] earlier = tilesSeen.putIfAbsent(tile.path(), fingerprint);
        if (earlier != null && !MessageDigest.isEqual(earlier, fingerprint)) {
            throw new Failure(tile.path() + " was served with different contents on two reads: the log is not "
                    + "serving one tree");
        }
        return hashes;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private List<Hash> fetchTile(Tile tile) {
        tilesRead++;
        byte[] bytes = source.readIfPresent(tile.path(), MAX_TILE_BYTES, "tile");
        if (bytes != null) {
            return decodeTile(bytes, tile);
        }
        if (tile.isFull()) {
            throw source.missing(tile.path());
        }
        // The spec lets a log delete a partial tile once the full one exists; the full tile starts the same.
        Tile fullTile = Tile.full(tile.level(), tile.index());
        byte[] fullBytes = source.readIfPresent(fullTile.path(), MAX_TILE_BYTES, "tile");
        if (fullBytes == null) {
            throw source.missing(tile.path());
        }
        return decodeTile(fullBytes, fullTile).subList(0, tile.width());
    }

    private static List<Hash> decodeTile(byte[] bytes, Tile tile) {
        try {
            return TileLayout.decode(bytes, tile.width());
        } catch (IllegalArgumentException e) {
            throw new Failure(tile.path() + " is malformed: " + e.getMessage());
        }
    }

    /** The entries of a level-0 tile, exactly as many as its width; an empty one is an oversized entry's marker. */
    private List<byte[]> readEntries(Tile tile) {
        byte[] bytes = source.readIfPresent(tile.entriesPath(), maxBundleBytes(tile.width()), "entry bundle");
        Tile read = tile;
        if (bytes == null && !tile.isFull()) {
            // As with tiles, a partial bundle may be gone once the full one exists.
            read = Tile.full(0, tile.index());
            bytes = source.readIfPresent(read.entriesPath(), maxBundleBytes(Tile.FULL_WIDTH), "entry bundle");
        }
        if (bytes == null) {
            throw source.missing(tile.entriesPath());
        }
        List<byte[]> entries;
        try {
            entries = EntryBundle.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new Failure(read.entriesPath() + " is malformed: " + e.getMessage());
        }
        if (entries.size() != read.width()) {
            throw new Failure(read.entriesPath() + " holds " + entries.size() + " entries, not " + read.width());
        }
        return entries.subList(0, tile.width());
    }

    /** Each entry behind its 2-byte length, at most {@link EntryBundle#MAX_ENTRY_BYTES} long. */
    static long maxBundleBytes(int width) {
        return (long) width * (2 + EntryBundle.MAX_ENTRY_BYTES);
    }
}
