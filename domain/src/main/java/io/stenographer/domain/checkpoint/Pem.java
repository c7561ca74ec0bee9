package io.stenographer.domain.checkpoint;

import java.util.Base64;
import java.util.Objects;

/** One PEM block (RFC 7468): a label and base64 DER, 64 characters a line. Strict: exactly one block of the label. */
public final class Pem {

    private Pem() {
    }

    public static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** The DER inside the single {@code label} block that {@code pem} must be. */
    public static byte[] decode(String label, String pem) {
        Objects.requireNonNull(pem, "pem");
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        String trimmed = pem.strip();
        if (!trimmed.startsWith(begin) || !trimmed.endsWith(end)) {
            throw new IllegalArgumentException("PEM must be a single '" + label + "' block");
        }
        String base64 = trimmed.substring(begin.length(), trimmed.length() - end.length()).replaceAll("\\s", "");
        if (base64.contains("-----")) {
            throw new IllegalArgumentException("PEM must be a single '" + label + "' block");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM body is not valid base64: " + e.getMessage(), e);
        }
    }
}
