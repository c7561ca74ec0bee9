package io.stenographer.domain.tiles;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A tlog-tiles entry bundle: the leaf inputs of one level-0 tile, each behind a big-endian 16-bit length. An entry
 * too long for that prefix (an event sealed before the ingest limit matched it) is carried as a zero-length entry:
 * no sealed event is empty, so a client can tell the marker from an entry and fetch that event from the event API.
 */
public final class EntryBundle {

    public static final int MAX_ENTRY_BYTES = 0xFFFF;

    private EntryBundle() {
    }

    public static byte[] encode(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] entry : entries) {
            byte[] carried = entry.length > MAX_ENTRY_BYTES ? new byte[0] : entry;
            out.write(carried.length >>> 8);
            out.write(carried.length & 0xFF);
            out.writeBytes(carried);
        }
        return out.toByteArray();
    }

    /** The entries of a bundle; an empty one is an oversized entry's marker. Refuses trailing or truncated bytes. */
    public static List<byte[]> decode(byte[] bundle) {
        List<byte[]> entries = new ArrayList<>();
        int position = 0;
        while (position < bundle.length) {
            if (bundle.length - position < 2) {
                throw new IllegalArgumentException("entry bundle ends inside a length prefix at byte " + position);
            }
            int length = (bundle[position] & 0xFF) << 8 | (bundle[position + 1] & 0xFF);
            position += 2;
            if (bundle.length - position < length) {
                throw new IllegalArgumentException("entry " + entries.size() + " claims " + length
                        + " bytes but the bundle ends after " + (bundle.length - position));
            }
            byte[] entry = new byte[length];
            System.arraycopy(bundle, position, entry, 0, length);
            entries.add(entry);
            position += length;
        }
        return entries;
    }
}
