package io.stenographer.domain.privacy;

import io.stenographer.domain.event.Commitment;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonSyntaxException;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * One personal value with the opening of its commitment: what the personal-data store keeps, encrypted, and what a
 * reader allowed to see personal data is given so that it can check the value against the leaf.
 */
public final class Disclosure {

    private final PersonalField field;
    private final JsonValue value;
    private final byte[] opening;

    public Disclosure(PersonalField field, JsonValue value, byte[] opening) {
        this.field = Objects.requireNonNull(field, "field");
        this.value = Objects.requireNonNull(value, "value");
        if (opening == null || opening.length != Commitment.OPENING_LENGTH) {
            throw new IllegalArgumentException("an opening is exactly " + Commitment.OPENING_LENGTH + " bytes");
        }
        this.opening = opening.clone();
    }

    public PersonalField field() {
        return field;
    }

    public JsonValue value() {
        return value;
    }

    public byte[] opening() {
        return opening.clone();
    }

    public Hash commitment() {
        return Commitment.of(opening, field, value);
    }

    /** True when this value and opening are exactly what the leaf committed to. */
    public boolean matches(Hash committed) {
        return MessageDigest.isEqual(commitment().bytes(), committed.bytes());
    }

    /** What is encrypted: the opening, then the value's canonical JSON. */
    public byte[] plaintext() {
        byte[] json = CanonicalJson.canonicalBytes(value);
        byte[] plain = Arrays.copyOf(opening, opening.length + json.length);
        System.arraycopy(json, 0, plain, opening.length, json.length);
        return plain;
    }

    /**
     * Reads back what {@link #plaintext()} wrote.
     *
     * @throws PersonalDataUnreadable when the bytes are not an opening followed by JSON
     */
    public static Disclosure fromPlaintext(PersonalField field, byte[] plaintext) {
        if (plaintext.length <= Commitment.OPENING_LENGTH) {
            throw new PersonalDataUnreadable("the decrypted value of " + field + " is too short");
        }
        try {
            JsonValue value = JsonParser.parse(new String(plaintext, Commitment.OPENING_LENGTH,
                    plaintext.length - Commitment.OPENING_LENGTH, java.nio.charset.StandardCharsets.UTF_8), 64);
            return new Disclosure(field, value, Arrays.copyOf(plaintext, Commitment.OPENING_LENGTH));
        } catch (JsonSyntaxException e) {
            throw new PersonalDataUnreadable("the decrypted value of " + field + " is not JSON");
        }
    }

    @Override
    public String toString() {
        return "Disclosure[" + field + "]"; // never the value: toString ends up in logs
    }
}
