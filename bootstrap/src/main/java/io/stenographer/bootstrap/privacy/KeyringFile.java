package io.stenographer.bootstrap.privacy;

import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonSyntaxException;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.PersonalDataUnreadable;
import io.stenographer.domain.privacy.PersonalValueCipher;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The keyring file's format, {@value #FORMAT}: JSON written with the domain's own JSON classes.
 *
 * <pre>{"format":"stenographer-keyring/v1",
 *  "generations":[{"id":"local-1","createdAt":"…","destroyedAt":"…"},{"id":"local-2","createdAt":"…","secret":"base64"}],
 *  "blindIndexSecret":"base64"}</pre>
 *
 * The last generation is the current one. A destroyed generation keeps its id and dates but no secret, so the file
 * says what was shredded and when. With a passphrase the whole document is sealed with AES-256-GCM under a
 * PBKDF2-HMAC-SHA256 key, and the KDF parameters are the associated data, so they cannot be changed unnoticed:
 *
 * <pre>{"format":"stenographer-keyring/v1",
 *  "encryption":{"cipher":"AES-256-GCM","kdf":"PBKDF2-HMAC-SHA256","iterations":600000,"salt":"base64"},
 *  "sealed":"base64"}</pre>
 *
 * GCM, not the signing key's PBES2 AES-CBC: CBC would let a bit flip in the file change a generation's
 * {@code destroyedAt} or a secret unnoticed. No message here holds a secret or the passphrase.
 */
final class KeyringFile {

    static final String FORMAT = "stenographer-keyring/v1";
    /** PBKDF2-HMAC-SHA256 iterations for written files, as for the signing key (OWASP's 2023 recommendation). */
    static final int ITERATIONS = 600_000;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_LENGTH = 16;
    private static final int MAX_DEPTH = 4;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** One key-encryption key generation; {@code secret} is null once destroyed. */
    record Generation(String id, byte[] secret, Instant createdAt, Instant destroyedAt) {

        Generation {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(createdAt, "createdAt");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("generation id must be 1-64 of [A-Za-z0-9._-]");
            }
            if ((secret == null) == (destroyedAt == null)) {
                throw new IllegalArgumentException("generation " + id
                        + " must have either a secret or a destroyedAt, not both or neither");
            }
            if (secret != null && secret.length != DataKey.LENGTH) {
                throw new IllegalArgumentException("generation " + id + " secret must be 32 bytes");
            }
        }

        boolean destroyed() {
            return destroyedAt != null;
        }

        @Override
        public String toString() {
            return "Generation[" + id + (destroyed() ? ", destroyed " + destroyedAt : "") + "]";
        }
    }

    /** The whole keyring: generations, oldest first, and the blind-index secret. */
    record Content(List<Generation> generations, byte[] blindIndexSecret) {

        Content {
            generations = List.copyOf(generations);
            if (generations.isEmpty()) {
                throw new IllegalArgumentException("there must be at least one generation");
            }
            Set<String> ids = new HashSet<>();
            for (Generation generation : generations) {
                if (!ids.add(generation.id())) {
                    throw new IllegalArgumentException("generation " + generation.id() + " is listed twice");
                }
            }
            if (generations.get(generations.size() - 1).destroyed()) {
                throw new IllegalArgumentException("the current (last) generation is destroyed");
            }
            if (blindIndexSecret == null || blindIndexSecret.length != DataKey.LENGTH) {
                throw new IllegalArgumentException("blindIndexSecret must be 32 bytes");
            }
        }

        @Override
        public String toString() {
            return "Content" + generations;
        }
    }

    private KeyringFile() {
    }

    static byte[] write(Content content, Optional<KeyringPassphrase> passphrase, SecureRandom random) {
        byte[] plain = CanonicalJson.canonicalBytes(toJson(content));
        if (passphrase.isEmpty()) {
            return plain;
        }
        try {
            byte[] salt = new byte[SALT_LENGTH];
            random.nextBytes(salt);
            JsonObject encryption = encryption(ITERATIONS, salt);
            byte[] sealed = PersonalValueCipher.seal(passphraseKey(passphrase.get(), salt, ITERATIONS),
                    CanonicalJson.canonicalBytes(encryption), plain, random);
            return CanonicalJson.canonicalBytes(object("format", new JsonString(FORMAT), "encryption", encryption,
                    "sealed", base64(sealed)));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    static boolean isEncrypted(byte[] file) {
        return document(file).get("encryption") != null;
    }

    /**
     * The keyring in a file's bytes.
     *
     * @throws IllegalArgumentException damaged, or encrypted and not opened by the passphrase, with the reason
     */
    static Content read(byte[] file, Optional<KeyringPassphrase> passphrase) {
        JsonObject document = document(file);
        if (document.get("encryption") == null) {
            return fromJson(document);
        }
        JsonObject encryption = object(document, "encryption");
        if (!"AES-256-GCM".equals(string(encryption, "cipher")) || !"PBKDF2-HMAC-SHA256".equals(
                string(encryption, "kdf"))) {
            throw new IllegalArgumentException("unsupported encryption; this version writes AES-256-GCM with"
                    + " PBKDF2-HMAC-SHA256");
        }
        int iterations = integer(encryption, "iterations", 1, MAX_ITERATIONS);
        byte[] salt = bytes(encryption, "salt", SALT_LENGTH);
        KeyringPassphrase key = passphrase.orElseThrow(() -> new IllegalArgumentException("it is encrypted; set "
                + KeyringPassphrase.SETTING + " (in production the STENOGRAPHER_PRIVACY_KEYRING_PASSPHRASE"
                + " environment variable)"));
        byte[] plain;
        try {
            plain = PersonalValueCipher.open(passphraseKey(key, salt, iterations),
                    CanonicalJson.canonicalBytes(encryption(iterations, salt)),
                    Base64.getDecoder().decode(string(document, "sealed")));
        } catch (PersonalDataUnreadable | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot decrypt it: wrong passphrase or damaged file");
        }
        try {
            return fromJson(document(plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static JsonObject document(byte[] file) {
        JsonValue value;
        try {
            value = JsonParser.parse(file, MAX_DEPTH);
        } catch (JsonSyntaxException e) {
            // The parser's message may quote the text; a keyring's text is secret.
            throw new IllegalArgumentException("not valid JSON (at offset " + e.offset() + ")");
        }
        if (!(value instanceof JsonObject object) || !(object.get("format") instanceof JsonString format)
                || !FORMAT.equals(format.value())) {
            throw new IllegalArgumentException("not a " + FORMAT + " document");
        }
        return object;
    }

    /** The PBKDF2-HMAC-SHA256 key; the passphrase copy is cleared at once. */
    private static DataKey passphraseKey(KeyringPassphrase passphrase, byte[] salt, int iterations) {
        char[] chars = passphrase.chars();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, DataKey.LENGTH * 8);
        Arrays.fill(chars, '\0');
        byte[] raw = null;
        try {
            raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return DataKey.of(raw);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by every Java platform", e);
        } finally {
            spec.clearPassword();
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    private static JsonObject encryption(int iterations, byte[] salt) {
        return object("cipher", new JsonString("AES-256-GCM"), "kdf", new JsonString("PBKDF2-HMAC-SHA256"),
                "iterations", new JsonNumber(iterations), "salt", base64(salt));
    }

    private static JsonObject toJson(Content content) {
        List<JsonValue> generations = new ArrayList<>();
        for (Generation generation : content.generations()) {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            members.put("id", new JsonString(generation.id()));
            members.put("createdAt", new JsonString(generation.createdAt().toString()));
            if (generation.destroyed()) {
                members.put("destroyedAt", new JsonString(generation.destroyedAt().toString()));
            } else {
                members.put("secret", base64(generation.secret()));
            }
            generations.add(new JsonObject(members));
        }
        return object("format", new JsonString(FORMAT), "generations", new JsonArray(generations),
                "blindIndexSecret", base64(content.blindIndexSecret()));
    }

    private static Content fromJson(JsonObject document) {
        if (!(document.get("generations") instanceof JsonArray array)) {
            throw new IllegalArgumentException("\"generations\" must be an array");
        }
        List<Generation> generations = new ArrayList<>();
        for (JsonValue element : array.elements()) {
            if (!(element instanceof JsonObject generation)) {
                throw new IllegalArgumentException("each generation must be an object");
            }
            boolean destroyed = generation.get("destroyedAt") != null;
            generations.add(new Generation(string(generation, "id"),
                    destroyed ? null : bytes(generation, "secret", DataKey.LENGTH),
                    instant(generation, "createdAt"), destroyed ? instant(generation, "destroyedAt") : null));
        }
        return new Content(generations, bytes(document, "blindIndexSecret", DataKey.LENGTH));
    }

    private static JsonObject object(Object... namesAndValues) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            members.put((String) namesAndValues[i], (JsonValue) namesAndValues[i + 1]);
        }
        return new JsonObject(members);
    }

    private static JsonString base64(byte[] bytes) {
        return new JsonString(Base64.getEncoder().encodeToString(bytes));
    }

    private static JsonObject object(JsonObject object, String name) {
        if (object.get(name) instanceof JsonObject member) {
            return member;
        }
        throw new IllegalArgumentException("\"" + name + "\" must be an object");
    }

    private static String string(JsonObject object, String name) {
        if (object.get(name) instanceof JsonString string) {
            return string.value();
        }
        throw new IllegalArgumentException("\"" + name + "\" must be a string");
    }

    private static int integer(JsonObject object, String name, int min, int max) {
        if (object.get(name) instanceof JsonNumber number && number.value() == Math.rint(number.value())
                && number.value() >= min && number.value() <= max) {
            return (int) number.value();
        }
        throw new IllegalArgumentException("\"" + name + "\" must be an integer from " + min + " to " + max);
    }

    private static byte[] bytes(JsonObject object, String name, int length) {
        String text = string(object, name);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + name + "\" must be base64 of " + length + " bytes");
        }
        if (bytes.length != length) {
            throw new IllegalArgumentException("\"" + name + "\" must be base64 of " + length + " bytes");
        }
        return bytes;
    }

    private static Instant instant(JsonObject object, String name) {
        try {
            return Instant.parse(string(object, name));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("\"" + name + "\" must be an ISO-8601 instant");
        }
    }
}
