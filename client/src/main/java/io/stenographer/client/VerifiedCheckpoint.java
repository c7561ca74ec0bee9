package io.stenographer.client;

/** A checkpoint this client checked: signed by the pinned key, and consistent with every one it verified before. */
public record VerifiedCheckpoint(long treeSize, String rootHash, String signedNote) {
}
