package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.StorePersonalDataPort.SealedPersonalValue;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One event's encrypted personal values in one {@code personal_value.sealed} cell, so an event costs one row, not
 * one per field: a version byte {@code 0x01}, then for each field its path (1-byte length, ASCII) and its sealed
 * value (4-byte big-endian length, bytes). Each value stays sealed on its own, bound to its field.
 */
final class PackedPersonalValues {

    private static final int VERSION = 1;

    private PackedPersonalValues() {
    }

    static byte[] pack(List<SealedPersonalValue> ofOneEvent) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            for (SealedPersonalValue value : ofOneEvent) {
                byte[] path = value.field().getBytes(StandardCharsets.US_ASCII);
                if (path.length > 255) {
                    throw new IllegalArgumentException("a field path is at most 255 bytes");
                }
                byte[] sealed = value.sealed();
                out.writeByte(path.length);
                out.write(path);
                out.writeInt(sealed.length);
                out.write(sealed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalStateException when the cell is not in this form (altered storage); the values it held cannot
     *                               be told apart, so none is returned
     */
    static List<SealedPersonalValue> unpack(UUID eventId, UUID keyId, byte[] packed) {
        List<SealedPersonalValue> values = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(packed))) {
            if (in.readUnsignedByte() != VERSION) {
                throw new IllegalStateException("personal values of event " + eventId + " are in an unknown form");
            }
            while (in.available() > 0) {
                byte[] path = in.readNBytes(in.readUnsignedByte());
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    throw new IllegalStateException("personal values of event " + eventId + " are truncated");
                }
                values.add(new SealedPersonalValue(eventId, new String(path, StandardCharsets.US_ASCII), keyId,
                        in.readNBytes(length)));
            }
        } catch (EOFException e) {
            throw new IllegalStateException("personal values of event " + eventId + " are truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
