package io.stenographer.domain.bundle;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.CanonicalJsonValidator;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.Hash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accepts an entry line that {@link BundleVerifier}'s full checks would pass without a finding, straight from its
 * bytes: no String, no tree. Answers null for anything else, and the caller then runs the full checks, which find
 * and word the failure.
 *
 * <p>The line must be byte for byte the canonical line {@link BundleWriter} writes:
 * <code>{"event":E,"inclusionProof":[...],"index":N,"leafHash":"...","type":"entry"}</code> (or without the event
 * when purged), E canonical ({@link CanonicalJsonValidator}), {@code SHA-256(0x00 || E)} equal to the leaf hash, the
 * event's tenant the bundle's, and the proof leading to the root of a checkpoint the trusted key signed. The one check
 * of the full path not repeated here is that E is a valid sealed event in sealed form: the service hashes only
 * sealed events into its tree, so a leaf under a trusted root with E as its preimage is one (short of a SHA-256
 * second preimage). The tenant is checked because the header that names it is not signed.
 *
 * <p>One per batch of lines, like the {@link ConsecutiveProofRoots} it shares with the full checks.
 */
final class EntryLineFastPath implements CanonicalJsonValidator.TopLevelMembers {

    /** What the full checks would have recorded for an accepted line. */
    record Accepted(long index, String eventId) {
        boolean eventPresent() {
            return eventId != null;
        }
    }

    private static final byte[] EVENT_START = ascii("{\"event\":");
    private static final byte[] PROOF_AFTER_EVENT = ascii(",\"inclusionProof\":[");
    private static final byte[] PROOF_START = ascii("{\"inclusionProof\":[");
    private static final byte[] INDEX = ascii(",\"index\":");
    private static final byte[] LEAF_HASH = ascii(",\"leafHash\":\"");
    private static final byte[] TYPE_ENTRY = ascii("\",\"type\":\"entry\"}");
    private static final byte[] ID = ascii("id");
    private static final byte[] TENANT = ascii("tenant");
    private static final int BASE64_HASH_LENGTH = 44;

    private final long treeSize;
    private final Hash root;
    private final byte[] tenantCanonical; // the bundle tenant as a canonical JSON string, quotes included
    private final ConsecutiveProofRoots proofRoots;
    private final MessageDigest sha256;

    // The event's top-level members this needs, set while the event is validated.
    private int idStart;
    private int idEnd;
    private int tenantStart;
    private int tenantEnd;

    /** @param trustedRoot the root of a checkpoint the trusted key signed; never an unverified one */
    EntryLineFastPath(String tenant, long treeSize, Hash trustedRoot, ConsecutiveProofRoots proofRoots) {
        this.treeSize = treeSize;
        this.root = trustedRoot;
        this.tenantCanonical = CanonicalJson.canonicalBytes(new JsonString(tenant));
        this.proofRoots = proofRoots;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The line's findings-free result, or null when the full checks must look at it. */
    Accepted accept(byte[] line) {
        int pos;
        int eventStart = -1;
        int eventEnd = -1;
        if (startsWith(line, 0, EVENT_START)) {
            eventStart = EVENT_START.length;
            idStart = -1;
            tenantStart = -1;
            // The event sits inside the line object, one level down.
            eventEnd = CanonicalJsonValidator.canonicalValueEnd(line, eventStart, line.length,
                    BundleVerifier.MAX_DEPTH - 1, this);
            if (eventEnd < 0 || line[eventStart] != '{' || !startsWith(line, eventEnd, PROOF_AFTER_EVENT)) {
                return null;
            }
            pos = eventEnd + PROOF_AFTER_EVENT.length;
        } else if (startsWith(line, 0, PROOF_START)) {
            pos = PROOF_START.length;
        } else {
            return null;
        }

        List<Hash> path = new ArrayList<>();
        if (pos < line.length && line[pos] == ']') {
            pos++;
        } else {
            while (true) {
                if (path.size() == InclusionProofJson.MAX_HASHES || pos + BASE64_HASH_LENGTH + 2 > line.length
                        || line[pos] != '"' || line[pos + BASE64_HASH_LENGTH + 1] != '"') {
                    return null;
                }
                Hash hash = canonicalBase64Hash(line, pos + 1);
                if (hash == null) {
                    return null;
                }
                path.add(hash);
                pos += BASE64_HASH_LENGTH + 2;
                if (pos >= line.length) {
                    return null;
                }
                byte next = line[pos++];
                if (next == ']') {
                    break;
                }
                if (next != ',') {
                    return null;
                }
            }
        }

        if (!startsWith(line, pos, INDEX)) {
            return null;
        }
        pos += INDEX.length;
        int digitsStart = pos;
        long index = 0;
        while (pos < line.length && line[pos] >= '0' && line[pos] <= '9' && pos - digitsStart < 16) {
            index = index * 10 + (line[pos] - '0');
            pos++;
        }
        int digits = pos - digitsStart;
        // Canonical (no leading zero), and inside the checkpoint's tree, so well below 2^53.
        if (digits == 0 || (digits > 1 && line[digitsStart] == '0') || index >= treeSize) {
            return null;
        }

        if (!startsWith(line, pos, LEAF_HASH)) {
            return null;
        }
        pos += LEAF_HASH.length;
        byte[] leafHashBytes = lowerHex32(line, pos);
        if (leafHashBytes == null) {
            return null;
        }
        pos += 2 * Hash.LENGTH;
        if (!startsWith(line, pos, TYPE_ENTRY) || pos + TYPE_ENTRY.length != line.length) {
            return null;
        }

        String eventId = null;
        if (eventStart >= 0) {
            if (tenantStart < 0 || !Arrays.equals(line, tenantStart, tenantEnd, tenantCanonical, 0,
                    tenantCanonical.length)) {
                return null;
            }
            if (idStart < 0 || line[idStart] != '"') {
                return null;
            }
            sha256.update((byte) 0x00);
            sha256.update(line, eventStart, eventEnd - eventStart);
            if (!MessageDigest.isEqual(sha256.digest(), leafHashBytes)) {
                return null;
            }
            eventId = CanonicalJsonValidator.decodeCanonicalString(line, idStart + 1, idEnd - 1);
        }
        try {
            if (!proofRoots.rootFrom(index, treeSize, path, new Hash(leafHashBytes)).equals(root)) {
                return null;
            }
        } catch (IllegalArgumentException wrongLength) {
            return null;
        }
        return new Accepted(index, eventId);
    }

    @Override
    public void member(byte[] bytes, int nameStart, int nameEnd, int valueStart, int valueEnd) {
        if (Arrays.equals(bytes, nameStart, nameEnd, ID, 0, ID.length)) {
            idStart = valueStart;
            idEnd = valueEnd;
        } else if (Arrays.equals(bytes, nameStart, nameEnd, TENANT, 0, TENANT.length)) {
            tenantStart = valueStart;
            tenantEnd = valueEnd;
        }
    }

    // ---- bytes -------------------------------------------------------------------------------

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        return at >= 0 && at + prefix.length <= bytes.length
                && Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
    }

    /** 64 lowercase hex digits as 32 bytes, or null. */
    private static byte[] lowerHex32(byte[] bytes, int at) {
        if (at + 2 * Hash.LENGTH > bytes.length) {
            return null;
        }
        byte[] out = new byte[Hash.LENGTH];
        for (int i = 0; i < Hash.LENGTH; i++) {
            int high = lowerHexValue(bytes[at + 2 * i]);
            int low = lowerHexValue(bytes[at + 2 * i + 1]);
            if (high < 0 || low < 0) {
                return null;
            }
            out[i] = (byte) (high << 4 | low);
        }
        return out;
    }

    private static int lowerHexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }

    /**
     * The hash whose canonical padded base64 (44 characters, as {@link Hash#fromBase64} alone accepts) starts at
     * {@code at}, or null.
     */
    private static Hash canonicalBase64Hash(byte[] bytes, int at) {
        byte[] out = new byte[Hash.LENGTH];
        int o = 0;
        for (int group = 0; group < 10; group++) {
            int bits = 0;
            for (int i = 0; i < 4; i++) {
                int v = base64Value(bytes[at + 4 * group + i]);
                if (v < 0) {
                    return null;
                }
                bits = bits << 6 | v;
            }
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        int v0 = base64Value(bytes[at + 40]);
        int v1 = base64Value(bytes[at + 41]);
        int v2 = base64Value(bytes[at + 42]);
        // The last character's two spare bits must be zero, or the spelling is not the canonical one.
        if (v0 < 0 || v1 < 0 || v2 < 0 || (v2 & 3) != 0 || bytes[at + 43] != '=') {
            return null;
        }
        out[o++] = (byte) (v0 << 2 | v1 >> 4);
        out[o] = (byte) ((v1 & 0xf) << 4 | v2 >> 2);
        return new Hash(out);
    }

    private static int base64Value(byte b) {
        return BASE64_VALUES[b & 0xff];
    }

    /** Each byte's value in the standard base64 alphabet, -1 outside it. */
    private static final int[] BASE64_VALUES = new int[256];

    static {
        Arrays.fill(BASE64_VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64_VALUES[alphabet.charAt(i)] = i;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
