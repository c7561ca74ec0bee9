package io.stenographer.domain.report.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one ZIP layout report bundles use, so that a verifier can demand it byte for byte. Every
 * structural field has exactly one allowed value:
 * <ul>
 *   <li>content entries: deflated (method 8), general-purpose flags 0x0808 (UTF-8 names, sizes in a
 *       data descriptor), version 2.0, DOS time 0 and date 1980-01-01, no extra field, no comment; the
 *       local header carries zero CRC and sizes and a signed data descriptor follows the data;</li>
 *   <li>the manifest (last entry): stored (method 0), flags 0x0800, CRC and sizes in the local header;</li>
 *   <li>the central directory mirrors the local headers exactly (version made by 2.0/MS-DOS, no
 *       attributes) and is followed by the end record without comment and nothing else.</li>
 * </ul>
 * No ZIP64: a bundle and each entry stay below 4 GiB.
 */
public final class CanonicalZip {

    static final int LOCAL = 0x04034b50;
    static final int DESCRIPTOR = 0x08074b50;
    static final int CENTRAL = 0x02014b50;
    static final int END = 0x06054b50;
    static final int VERSION = 20;
    static final int FLAGS_DEFLATED = 0x0808;
    static final int FLAGS_STORED = 0x0800;
    static final int DOS_TIME = 0;
    static final int DOS_DATE = 0x0021;
    static final long MAX_32 = 0xFFFF_FFFFL;

    private CanonicalZip() {
    }

    /** One entry as the central directory describes it. */
    record Entry(String name, boolean stored, long crc, long compressedSize, long size, long offset) {
    }

    static byte[] localHeader(Entry entry) {
        Bytes out = new Bytes();
        out.u32(LOCAL).u16(VERSION).u16(entry.stored() ? FLAGS_STORED : FLAGS_DEFLATED)
                .u16(entry.stored() ? 0 : 8).u16(DOS_TIME).u16(DOS_DATE);
        if (entry.stored()) {
            out.u32(entry.crc()).u32(entry.compressedSize()).u32(entry.size());
        } else {
            out.u32(0).u32(0).u32(0);
        }
        byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
        out.u16(name.length).u16(0).raw(name);
        return out.toByteArray();
    }

    static byte[] descriptor(Entry entry) {
        return new Bytes().u32(DESCRIPTOR).u32(entry.crc()).u32(entry.compressedSize()).u32(entry.size())
                .toByteArray();
    }

    /** Central directory and end record for the entries, in order, starting at {@code offset}. */
    static byte[] centralDirectory(List<Entry> entries, long offset) {
        Bytes out = new Bytes();
        for (Entry entry : entries) {
            byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
            out.u32(CENTRAL).u16(VERSION).u16(VERSION).u16(entry.stored() ? FLAGS_STORED : FLAGS_DEFLATED)
                    .u16(entry.stored() ? 0 : 8).u16(DOS_TIME).u16(DOS_DATE).u32(entry.crc())
                    .u32(entry.compressedSize()).u32(entry.size()).u16(name.length).u16(0).u16(0).u16(0).u16(0)
                    .u32(0).u32(entry.offset()).raw(name);
        }
        int size = out.size();
        out.u32(END).u16(0).u16(0).u16(entries.size()).u16(entries.size()).u32(size).u32(offset).u16(0);
        return out.toByteArray();
    }

    static void requireFits(long value, String what) {
        if (value > MAX_32) {
            throw new IllegalStateException(what + " exceeds 4 GiB; report bundles do not use ZIP64");
        }
    }

    /** Little-endian byte building. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u16(int value) {
            out.write(value & 0xff);
            out.write((value >>> 8) & 0xff);
            return this;
        }

        Bytes u32(long value) {
            requireFits(value, "a ZIP field");
            for (int i = 0; i < 4; i++) {
                out.write((int) (value >>> (8 * i)) & 0xff);
            }
            return this;
        }

        Bytes raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int at) {
        return (u16(b, at) | (long) u16(b, at + 2) << 16) & MAX_32;
    }
}
