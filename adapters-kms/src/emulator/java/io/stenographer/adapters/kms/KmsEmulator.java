package io.stenographer.adapters.kms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * <b>An emulator of AWS KMS, written for these tests; it is not AWS KMS.</b> It speaks the KMS JSON 1.1 protocol
 * (POST, {@code X-Amz-Target: TrentService.<Operation>}, {@code application/x-amz-json-1.1}, base64 blobs) for the
 * four operations the adapter uses: Encrypt, Decrypt, GenerateMac and DescribeKey. It keeps keys in memory and
 * really encrypts (AES-256-GCM with the encryption context as associated data, so a changed context or ciphertext
 * fails as in KMS) and really MACs (HMAC-SHA256). Tests can disable a key, schedule its deletion, make every call
 * fail with a given error code, or make it stop answering.
 *
 * <p>Test code only: a test source folder of this module and of bootstrap (its wiring test), never shipped.
 *
 * <p>What it checks is our side: the requests the real SDK client sends (key ids, encryption context, algorithms)
 * and how the adapter maps answers and errors. It does not check signatures beyond their presence, IAM policies,
 * grants, quotas, latency, automatic rotation or multi-region keys, and its ciphertext format is its own.
 */
public final class KmsEmulator implements AutoCloseable {

    public static final String REGION = "eu-central-1";
    public static final String ACCOUNT = "111122223333";
    private static final String SIGNATURE = "AWS4-HMAC-SHA256 Credential=";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    /** One request as received; {@code body} is its parsed JSON, {@code accessKeyId} from its signature. */
    public record Received(String operation, String contentType, boolean signed, String accessKeyId,
            Map<String, Object> body) {

        public String string(String field) {
            return (String) body.get(field);
        }

        @SuppressWarnings("unchecked")
        public Map<String, String> map(String field) {
            return (Map<String, String>) body.get(field);
        }
    }

    private static final class Key {
        final String id = UUID.randomUUID().toString();
        final String arn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
        final String spec;
        final String usage;
        final byte[] secret = new byte[32];
        volatile String state = "Enabled";

        Key(String spec, String usage, SecureRandom random) {
            this.spec = spec;
            this.usage = usage;
            random.nextBytes(secret);
        }
    }

    /** An error answer: the KMS error code in {@code __type}. */
    private static final class KmsError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        KmsError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService threads;
    private volatile String failWith;
    private volatile boolean silent;

    private KmsEmulator(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    public static KmsEmulator start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "kms-emulator");
            thread.setDaemon(true);
            return thread;
        });
        KmsEmulator emulator = new KmsEmulator(server, threads);
        server.createContext("/", emulator::handle);
        server.setExecutor(threads);
        server.start();
        return emulator;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A new enabled key; returns its ARN. */
    public String createKey(String keySpec, String keyUsage) {
        Key key = new Key(keySpec, keyUsage, random);
        keys.put(key.id, key);
        keys.put(key.arn, key);
        return key.arn;
    }

    /** The key's id (the last part of its ARN). */
    public static String idOf(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** Makes {@code alias/<name>} point at the key. */
    public void alias(String name, String arn) {
        keys.put("alias/" + name, keys.get(arn));
    }

    /** "Enabled", "Disabled" or "PendingDeletion". */
    public void setState(String arn, String state) {
        keys.get(arn).state = state;
    }

    /** The HMAC key's secret, so a test can compute the expected MAC independently. */
    public byte[] secretOf(String arn) {
        return keys.get(arn).secret.clone();
    }

    /** Every following call answers this KMS error code (HTTP 400); null answers normally again. */
    public void failEveryCallWith(String errorCode) {
        failWith = errorCode;
    }

    /** Every following call is accepted and never answered (until close). */
    public void stopAnswering() {
        silent = true;
    }

    public List<Received> received(String operation) {
        return received.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            if (silent) {
                closing.await(60, TimeUnit.SECONDS);
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            String answer;
            int status = 200;
            try {
                Map<String, Object> body = MiniJson.parseObject(new String(request, StandardCharsets.UTF_8));
                boolean signed = authorization != null && authorization.startsWith(SIGNATURE);
                received.add(new Received(operation, contentType, signed, signed
                        ? authorization.substring(SIGNATURE.length(), authorization.indexOf('/')) : null, body));
                answer = answer(target, contentType, authorization, operation, body);
            } catch (KmsError e) {
                status = e.status;
                answer = "{\"__type\":" + MiniJson.quote(e.code) + ",\"message\":" + MiniJson.quote(e.getMessage())
                        + "}";
            } catch (RuntimeException e) {
                status = 400;
                answer = "{\"__type\":\"SerializationException\",\"message\":" + MiniJson.quote(e.toString()) + "}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String answer(String target, String contentType, String authorization, String operation,
            Map<String, Object> body) throws KmsError {
        if (target == null || !target.startsWith("TrentService.")) {
            throw new KmsError(400, "UnknownOperationException", "no TrentService target");
        }
        if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
            throw new KmsError(400, "SerializationException", "content type " + contentType);
        }
        if (authorization == null || !authorization.startsWith(SIGNATURE)) {
            throw new KmsError(400, "MissingAuthenticationTokenException", "unsigned request");
        }
        String injected = failWith;
        if (injected != null) {
            throw new KmsError(injected.startsWith("KMSInternal") ? 500 : 400, injected, "injected by the test");
        }
        return switch (operation) {
            case "DescribeKey" -> describeKey(body);
            case "Encrypt" -> encrypt(body);
            case "Decrypt" -> decrypt(body);
            case "GenerateMac" -> generateMac(body);
            default -> throw new KmsError(400, "UnknownOperationException", operation + " is not emulated");
        };
    }

    private String describeKey(Map<String, Object> body) throws KmsError {
        Key key = resolve((String) body.get("KeyId"));
        return "{\"KeyMetadata\":{\"AWSAccountId\":\"" + ACCOUNT + "\",\"KeyId\":\"" + key.id + "\",\"Arn\":\""
                + key.arn + "\",\"CreationDate\":1.7e9,\"Enabled\":" + key.state.equals("Enabled")
                + ",\"KeyState\":\"" + key.state + "\",\"KeySpec\":\"" + key.spec + "\",\"KeyUsage\":\"" + key.usage
                + "\",\"KeyManager\":\"CUSTOMER\",\"Origin\":\"AWS_KMS\",\"MultiRegion\":false}}";
    }

    private String encrypt(Map<String, Object> body) throws KmsError {
        Key key = usable((String) body.get("KeyId"), "ENCRYPT_DECRYPT");
        byte[] plain = blob(body, "Plaintext", 4096);
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] arn = key.arn.getBytes(StandardCharsets.UTF_8);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.secret, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(body));
            sealed = cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        // Its own format: the key's ARN (as KMS, the blob names its key), the nonce, the sealed bytes.
        byte[] out = ByteBuffer.allocate(2 + arn.length + nonce.length + sealed.length)
                .putShort((short) arn.length).put(arn).put(nonce).put(sealed).array();
        return "{\"CiphertextBlob\":\"" + b64(out) + "\",\"KeyId\":\"" + key.arn
                + "\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}";
    }

    private String decrypt(Map<String, Object> body) throws KmsError {
        byte[] blob = blob(body, "CiphertextBlob", 6144);
        ByteBuffer in = ByteBuffer.wrap(blob);
        Key owner;
        byte[] nonce = new byte[12];
        byte[] sealed;
        try {
            byte[] arn = new byte[in.getShort()];
            in.get(arn).get(nonce);
            sealed = new byte[in.remaining()];
            in.get(sealed);
            owner = keys.get(new String(arn, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new KmsError(400, "InvalidCiphertextException", "malformed ciphertext");
        }
        if (owner == null) {
            throw new KmsError(400, "InvalidCiphertextException", "ciphertext of an unknown key");
        }
        if (body.get("KeyId") != null && resolve((String) body.get("KeyId")) != owner) {
            throw new KmsError(400, "IncorrectKeyException", "the ciphertext was not encrypted under this key");
        }
        usable(owner.arn, "ENCRYPT_DECRYPT");
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(owner.secret, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(body));
            byte[] plain = cipher.doFinal(sealed);
            return "{\"KeyId\":\"" + owner.arn + "\",\"Plaintext\":\"" + b64(plain)
                    + "\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}";
        } catch (AEADBadTagException e) {
            throw new KmsError(400, "InvalidCiphertextException", "");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String generateMac(Map<String, Object> body) throws KmsError {
        Key key = usable((String) body.get("KeyId"), "GENERATE_VERIFY_MAC");
        if (!"HMAC_SHA_256".equals(body.get("MacAlgorithm")) || !key.spec.equals("HMAC_256")) {
            throw new KmsError(400, "InvalidKeyUsageException", "MacAlgorithm " + body.get("MacAlgorithm")
                    + " is not valid for " + key.spec);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret, "HmacSHA256"));
            return "{\"Mac\":\"" + b64(mac.doFinal(blob(body, "Message", 4096)))
                    + "\",\"MacAlgorithm\":\"HMAC_SHA_256\",\"KeyId\":\"" + key.arn + "\"}";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Key resolve(String keyId) throws KmsError {
        Key key = keyId == null ? null : keys.get(keyId);
        if (key == null) {
            throw new KmsError(400, "NotFoundException", "Key '" + keyId + "' does not exist");
        }
        return key;
    }

    /** As KMS: a disabled key is DisabledException, one pending deletion KMSInvalidStateException. */
    private Key usable(String keyId, String usage) throws KmsError {
        Key key = resolve(keyId);
        if (key.state.equals("Disabled")) {
            throw new KmsError(400, "DisabledException", key.arn + " is disabled.");
        }
        if (!key.state.equals("Enabled")) {
            throw new KmsError(400, "KMSInvalidStateException", key.arn + " is pending deletion.");
        }
        if (!key.usage.equals(usage)) {
            throw new KmsError(400, "InvalidKeyUsageException", key.arn + " is not for " + usage);
        }
        return key;
    }

    private static byte[] blob(Map<String, Object> body, String field, int max) throws KmsError {
        Object value = body.get(field);
        byte[] bytes = value instanceof String text ? Base64.getDecoder().decode(text) : new byte[0];
        if (bytes.length == 0 || bytes.length > max) {
            throw new KmsError(400, "ValidationException", field + " must hold 1 to " + max + " bytes");
        }
        return bytes;
    }

    /** The encryption context, sorted and length-prefixed: the associated data of the AES-GCM seal. */
    @SuppressWarnings("unchecked")
    private static byte[] aad(Map<String, Object> body) {
        Object context = body.get("EncryptionContext");
        TreeMap<String, String> sorted = new TreeMap<>(context == null ? Map.of() : (Map<String, String>) context);
        ByteBuffer out = ByteBuffer.allocate(4096);
        sorted.forEach((name, value) -> {
            for (String part : List.of(name, value)) {
                byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
                out.putInt(utf8.length).put(utf8);
            }
        });
        byte[] aad = new byte[out.position()];
        out.flip().get(aad);
        return aad;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
