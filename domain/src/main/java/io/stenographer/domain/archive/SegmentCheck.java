package io.stenographer.domain.archive;

import io.stenographer.domain.event.SealedEventBytes;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleTree;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks a segment object against its manifest and against the log: the object's SHA-256, a
 * contiguous range, every event's recomputed leaf hash, the range's Merkle root, and (when given) the
 * leaf hashes the log's tree holds for those indices. Returns every problem found; empty means sound.
 */
public final class SegmentCheck {

    private SegmentCheck() {
    }

    public static String sha256Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * @param treeLeafHashes the leaf hashes the log holds for the manifest's range, by index; pass an
     *                       empty map to skip the comparison with the tree
     */
    public static List<String> problems(SegmentManifest manifest, byte[] object, List<SegmentEntry> entries,
            Map<Long, Hash> treeLeafHashes) {
        List<String> problems = new ArrayList<>();
        String actualSha = sha256Hex(object);
        if (!actualSha.equals(manifest.objectSha256())) {
            problems.add("segment " + manifest.objectKey() + " has SHA-256 " + actualSha + ", the manifest says "
                    + manifest.objectSha256());
        }
        if (entries.size() != manifest.count()) {
            problems.add("segment " + manifest.objectKey() + " holds " + entries.size() + " entries, the manifest says "
                    + manifest.count());
        }
        List<Hash> leafHashes = new ArrayList<>(entries.size());
        long expected = manifest.from();
        for (SegmentEntry entry : entries) {
            if (entry.index() != expected) {
                problems.add("segment " + manifest.objectKey() + " has index " + entry.index() + " where " + expected
                        + " belongs");
                return problems;
            }
            // From the stored fields, the same bytes as the event's canonical form (SealedEventBytes), at a fraction
            // of the cost of building the JSON tree.
            Hash recomputed = SealedEventBytes.leafHash(StoredEventFields.of(entry.event()));
            if (!recomputed.equals(entry.leafHash())) {
                problems.add("index " + entry.index() + " (event " + entry.event().id() + "): the event's leaf hash is "
                        + recomputed.hex() + ", the segment records " + entry.leafHash().hex());
            }
            Hash inTree = treeLeafHashes.get(entry.index());
            if (!treeLeafHashes.isEmpty() && !recomputed.equals(inTree)) {
                problems.add("index " + entry.index() + " (event " + entry.event().id() + "): the log's tree holds "
                        + (inTree == null ? "no leaf" : inTree.hex()) + ", the archived event hashes to "
                        + recomputed.hex());
            }
            leafHashes.add(recomputed);
            expected++;
        }
        if (problems.isEmpty() && !MerkleTree.root(leafHashes).equals(manifest.rangeRoot())) {
            problems.add("segment " + manifest.objectKey() + ": the range's Merkle root does not match the manifest");
        }
        return problems;
    }
}
