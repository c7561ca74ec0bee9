package io.stenographer.domain.privacy;

import io.stenographer.domain.event.Pseudonym;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Pseudonyms for tests: a fixed-key hash standing in for the tenant's keyed blind index. */
public final class TestPseudonyms {

    public static final DataPolicy.Pseudonyms FIXED_KEY = identifier -> {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("test pseudonym key\0".getBytes(StandardCharsets.UTF_8));
            return Pseudonym.of(sha256.digest(identifier.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    };

    private TestPseudonyms() {
    }
}
