package io.stenographer.domain.privacy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts one personal value with AES-256-GCM under a {@link DataKey}. The sealed form is
 * {@code 0x01 || 12-byte nonce || ciphertext || 16-byte tag}; the version byte lets a later format be read next to
 * this one. The associated data binds the value to where it belongs ({@link #associatedData}), so a ciphertext copied
 * into another tenant, event or field fails to open instead of showing someone else's data there.
 *
 * <p>Nonces are random: with 96 bits a collision under one key stays negligible far beyond the number of values one
 * data key encrypts.
 *
 * <p>Each thread reuses one {@link Cipher}, initialised afresh for every value with that value's key and nonce (a
 * {@code Cipher.getInstance} per value showed in ingest profiles). Nothing of one value carries over to the next but
 * the key schedule of the thread's last key, which the JDK keeps until the next initialisation.
 */
public final class PersonalValueCipher {

    /** The format version byte this class writes and reads. */
    public static final byte VERSION = 0x01;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    /** Version byte, nonce and tag: the length of a sealed empty value. */
    public static final int OVERHEAD = 1 + NONCE_LENGTH + TAG_LENGTH;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final String PERSONAL_VALUE_CONTEXT = "stenographer.personal-value/v1";
    /** One cipher per thread; {@link #cipher} initialises it for every value, so no state is shared. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(PersonalValueCipher::newCipher);

    private PersonalValueCipher() {
    }

    public static byte[] seal(DataKey key, byte[] associatedData, byte[] plaintext, SecureRandom random) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(associatedData, "associatedData");
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(random, "random");
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData);
            byte[] sealed = new byte[1 + NONCE_LENGTH + cipher.getOutputSize(plaintext.length)];
            sealed[0] = VERSION;
            System.arraycopy(nonce, 0, sealed, 1, NONCE_LENGTH);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, 1 + NONCE_LENGTH);
            return sealed;
        } catch (InvalidAlgorithmParameterException e) {
            // The JDK refuses to encrypt again under the key and nonce this thread's cipher last encrypted with:
            // the random source repeated a nonce. Nothing was encrypted; GCM must never reuse one.
            throw new IllegalStateException("the random source repeated a nonce under the same key; not encrypted");
        } catch (GeneralSecurityException e) {
            // Every Java platform has AES-GCM; only a broken runtime gets here.
            throw new IllegalStateException("AES-256-GCM is not available: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The plaintext of a value {@link #seal sealed} with the same key and associated data.
     *
     * @throws PersonalDataUnreadable unknown version, too short, or the tag does not verify
     */
    public static byte[] open(DataKey key, byte[] associatedData, byte[] sealed) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(associatedData, "associatedData");
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length < OVERHEAD) {
            throw new PersonalDataUnreadable("too short (" + sealed.length + " bytes)");
        }
        if (sealed[0] != VERSION) {
            throw new PersonalDataUnreadable("unknown format version " + (sealed[0] & 0xff));
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_LENGTH);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, 1 + NONCE_LENGTH, sealed.length - 1 - NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            // AEADBadTagException for a wrong key, binding or any altered byte.
            throw new PersonalDataUnreadable("authentication failed");
        }
    }

    /** Binds a personal value to its tenant, event and field. */
    public static byte[] associatedData(String tenant, UUID eventId, String fieldPath) {
        Objects.requireNonNull(eventId, "eventId");
        return binding(PERSONAL_VALUE_CONTEXT, List.of(tenant, eventId.toString(), fieldPath));
    }

    /**
     * An unambiguous encoding of a context label and parts: each is a 4-byte big-endian length and its UTF-8 bytes,
     * so no two different lists of parts encode alike ({@code "ab","c"} is not {@code "a","bc"}). Other key
     * material (wrapped keys, blind indexes) binds with its own context label.
     */
    public static byte[] binding(String context, List<String> parts) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(parts, "parts");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writePart(out, context);
        for (String part : parts) {
            writePart(out, Objects.requireNonNull(part, "part"));
        }
        return out.toByteArray();
    }

    private static void writePart(ByteArrayOutputStream out, String part) {
        byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
        out.writeBytes(utf8);
    }

    /** This thread's cipher, initialised for one value: a fresh key and nonce each time, any earlier state gone. */
    private static Cipher cipher(int mode, DataKey key, byte[] nonce) throws GeneralSecurityException {
        byte[] raw = key.bytes();
        try {
            Cipher cipher = CIPHERS.get();
            // SecretKeySpec keeps its own copy, so this one is zeroed straight away.
            cipher.init(mode, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            return cipher;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            // Every Java platform has AES-GCM; only a broken runtime gets here.
            throw new IllegalStateException("AES-256-GCM is not available: " + e.getClass().getSimpleName());
        }
    }
}
