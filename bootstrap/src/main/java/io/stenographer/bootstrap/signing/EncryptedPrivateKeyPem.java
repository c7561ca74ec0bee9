package io.stenographer.bootstrap.signing;

import io.stenographer.domain.checkpoint.Pem;
import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Passphrase-encrypted PKCS#8 PEM ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}, an EncryptedPrivateKeyInfo), the
 * form {@code openssl genpkey -algorithm ed25519 -aes-256-cbc} and {@code openssl pkcs8 -topk8 -v2 aes-256-cbc}
 * write: PBES2 with a PBKDF2 key derivation and an AES-CBC cipher. JDK crypto only, so it lives here and not in the
 * domain (which depends on {@code java.*} alone).
 *
 * <p>Written files use PBES2 with PBKDF2-HMAC-SHA256 ({@value #ITERATIONS} iterations), AES-256-CBC, a random 16-byte
 * salt and a random IV. Read files may use any PBES2 combination the JDK supports (HMAC-SHA1/224/256/384/512,
 * AES-128/256-CBC). The JDK's PBES2 takes printable-ASCII passphrases only.
 *
 * <p>Nothing here puts the passphrase or key bytes into an exception message.
 */
final class EncryptedPrivateKeyPem {

    static final String LABEL = "ENCRYPTED PRIVATE KEY";
    /** PBKDF2-HMAC-SHA256 iterations for written keys (OWASP's 2023 recommendation). */
    static final int ITERATIONS = 600_000;
    private static final String WRITE_ALGORITHM = "PBEWithHmacSHA256AndAES_256";
    private static final String BEGIN = "-----BEGIN " + LABEL + "-----";
    private static final SecureRandom RANDOM = new SecureRandom();

    private EncryptedPrivateKeyPem() {
    }

    /** The decryption failed: the passphrase is wrong or the file is damaged (the two cannot be told apart). */
    static final class CannotDecrypt extends Exception {
        private static final long serialVersionUID = 1L;

        CannotDecrypt(String message) {
            super(message);
        }
    }

    static boolean isEncrypted(String pem) {
        return pem.strip().startsWith(BEGIN);
    }

    /**
     * The unencrypted PKCS#8 DER inside an encrypted PEM; the caller zeroes it.
     *
     * @throws CannotDecrypt wrong passphrase or damaged ciphertext
     * @throws IllegalArgumentException not an encrypted PEM block, an encryption scheme the JDK cannot read, or a
     *         passphrase that is not printable ASCII
     */
    static byte[] decrypt(String pem, char[] passphrase) throws CannotDecrypt {
        Objects.requireNonNull(passphrase, "passphrase");
        requirePrintableAscii(passphrase);
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(Pem.decode(LABEL, pem));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid PKCS#8 EncryptedPrivateKeyInfo");
        }
        AlgorithmParameters parameters = info.getAlgParameters();
        // For PBES2 the JDK names the algorithm by its parameters, e.g. "PBEWithHmacSHA256AndAES_256".
        String algorithm = parameters == null ? info.getAlgName() : parameters.toString();
        if (!"PBES2".equalsIgnoreCase(info.getAlgName()) || algorithm == null || !algorithm.startsWith("PBEWith")) {
            throw new IllegalArgumentException("unsupported key encryption " + info.getAlgName()
                    + "; use PBES2 (openssl pkcs8 -topk8 -v2 aes-256-cbc)");
        }
        SecretKey secret;
        Cipher cipher;
        try {
            secret = secretKey(algorithm, passphrase);
            cipher = Cipher.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported key encryption " + algorithm
                    + "; use PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up key decryption " + algorithm);
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, secret, parameters);
            // A rare wrong passphrase passes the CBC padding check; the caller's PKCS#8 parse then fails.
            return cipher.doFinal(info.getEncryptedData());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CannotDecrypt("wrong passphrase or damaged file");
        }
    }

    /** The key as encrypted PKCS#8 PEM: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, fresh salt and IV. */
    static String encrypt(PrivateKey key, char[] passphrase) {
        return encrypt(key, passphrase, ITERATIONS);
    }

    static String encrypt(PrivateKey key, char[] passphrase, int iterations) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(passphrase, "passphrase");
        requirePrintableAscii(passphrase);
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(iv);
        byte[] der = key.getEncoded();
        try {
            Cipher cipher = Cipher.getInstance(WRITE_ALGORITHM);
            cipher.init(Cipher.ENCRYPT_MODE, secretKey(WRITE_ALGORITHM, passphrase),
                    new PBEParameterSpec(salt, iterations, new IvParameterSpec(iv)), RANDOM);
            byte[] encrypted = cipher.doFinal(der);
            // JDK 17 cannot name the cipher's own parameters ("PBEWithHmacSHA256AndAES_256") by an OID; the same
            // encoding read as "PBES2" parameters can.
            AlgorithmParameters pbes2 = AlgorithmParameters.getInstance("PBES2");
            pbes2.init(cipher.getParameters().getEncoded());
            return Pem.encode(LABEL, new EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot encrypt the signing key with " + WRITE_ALGORITHM
                    + ": " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private static SecretKey secretKey(String algorithm, char[] passphrase) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase);
        try {
            return SecretKeyFactory.getInstance(algorithm).generateSecret(spec);
        } finally {
            spec.clearPassword();
        }
    }

    private static void requirePrintableAscii(char[] passphrase) {
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("the passphrase is empty");
        }
        for (char c : passphrase) {
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("the passphrase must be printable ASCII (the JDK's PBES2 takes"
                        + " no other characters)");
            }
        }
    }
}
