package io.stenographer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * A Standard Webhooks receiver over HTTPS (the JDK's {@code HttpsServer}) that checks every request the way a
 * consumer would, with its own code: the {@code webhook-id}, {@code webhook-timestamp} (within a tolerance) and
 * {@code webhook-signature} headers, each {@code v1} signature by HMAC-SHA256 with its {@code whsec_} secrets
 * (constant-time comparison) and each {@code v1a} signature by Ed25519 with its {@code whpk_} public keys. A request
 * none of whose signatures verifies is answered 401.
 *
 * <p>Every request is recorded with what was answered; the accepted ones (2xx) also in {@link #accepted()}. Scripted
 * answers: {@link #failNext(int)} (500), {@link #answerGone(boolean)} (410), {@link #stall()} (hold requests
 * unanswered until {@link #release()} or {@link #stop()}, so the sender's read timeout fires). {@link #stop()} and
 * {@link #start()} take it down and bring it back on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {

    public static final String PATH = "/hooks/stenographer";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Duration MAX_STALL = Duration.ofMinutes(2);

    /** A request as received, with the status answered and which configured keys verified its signatures. */
    public record Request(Map<String, String> headers, byte[] body, int status, List<String> verifiedBy,
            String rejection) {

        public String id() {
            return headers.get("webhook-id");
        }

        public long timestamp() {
            return Long.parseLong(headers.get("webhook-timestamp"));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An Ed25519 key pair as Standard Webhooks writes it: {@code whsk_<seed>} and {@code whpk_<public key>}. */
    public record Ed25519Pair(String secret, String publicKey) {
        @Override
        public String toString() {
            return "Ed25519Pair[" + publicKey + "]";
        }
    }

    private final TestCertificates.Server certificate;
    private final List<byte[]> hmacKeys = new ArrayList<>();
    private final List<PublicKey> ed25519Keys = new ArrayList<>();
    private final Duration tolerance;
    private final Clock clock;
    private int port;

    private final List<Request> requests = new ArrayList<>();
    private int failNext;
    private boolean gone;
    private boolean stalled;
    private long generation; // bumped by stop() and release(), so held requests let go
    private HttpsServer server;
    private ExecutorService executor;

    private WebhookReceiver(TestCertificates.Server certificate, List<String> keys, Duration tolerance, Clock clock,
            int port) {
        this.certificate = certificate;
        this.tolerance = tolerance;
        this.clock = clock;
        this.port = port;
        for (String key : keys) {
            if (key.startsWith("whsec_")) {
                hmacKeys.add(Base64.getDecoder().decode(key.substring("whsec_".length())));
            } else if (key.startsWith("whpk_")) {
                ed25519Keys.add(ed25519PublicKey(Base64.getDecoder().decode(key.substring("whpk_".length()))));
            } else {
                throw new IllegalArgumentException("a verification key is whsec_... (HMAC) or whpk_... (Ed25519)");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a receiver needs at least one verification key");
        }
    }

    /** Starts on a free port, verifying with {@code keys} ({@code whsec_...} and {@code whpk_...}). */
    public static WebhookReceiver start(TestCertificates.Server certificate, List<String> keys) {
        return start(certificate, keys, 0, DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /** Starts on {@code port} (0: a free one) with a timestamp tolerance and the clock it is judged by. */
    public static WebhookReceiver start(TestCertificates.Server certificate, List<String> keys, int port,
            Duration tolerance, Clock clock) {
        WebhookReceiver receiver = new WebhookReceiver(certificate, keys, tolerance, clock, port);
        receiver.start();
        return receiver;
    }

    /** A new Ed25519 key pair (the JDK's generator; the seed is the last 32 bytes of the PKCS#8 encoding). */
    public static Ed25519Pair generateEd25519() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] x509 = pair.getPublic().getEncoded();
            return new Ed25519Pair("whsk_" + Base64.getEncoder().encodeToString(
                    Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)),
                    "whpk_" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(x509, x509.length - 32,
                            x509.length)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicKey ed25519PublicKey(byte[] raw) {
        byte[] x509 = new byte[ED25519_X509_PREFIX.length + raw.length];
        System.arraycopy(ED25519_X509_PREFIX, 0, x509, 0, ED25519_X509_PREFIX.length);
        System.arraycopy(raw, 0, x509, ED25519_X509_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** (Re)starts listening, on the port it had if it ran before. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            SSLContext tls = certificate.serverContext();
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            https.createContext("/", this::handle);
            executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "webhook-receiver");
                thread.setDaemon(true);
                return thread;
            });
            https.setExecutor(executor);
            https.start();
            server = https;
            port = https.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** Stops listening and drops connections in progress (held requests are let go first); the port is kept. */
    public void stop() {
        HttpsServer stopping;
        ExecutorService pool;
        synchronized (this) {
            if (server == null) {
                return;
            }
            stopping = server;
            pool = executor;
            server = null;
            executor = null;
            generation++;
            notifyAll();
        }
        stopping.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized int port() {
        return port;
    }

    /** {@code https://localhost:<port>/hooks/stenographer}. */
    public URI url() {
        return URI.create("https://localhost:" + port() + PATH);
    }

    /** The next {@code n} verified requests are answered 500. */
    public synchronized void failNext(int n) {
        failNext = n;
    }

    /** While on, verified requests are answered 410 Gone. */
    public synchronized void answerGone(boolean on) {
        gone = on;
    }

    /** Holds verified requests unanswered until {@link #release()} or {@link #stop()} (at most two minutes). */
    public synchronized void stall() {
        stalled = true;
    }

    public synchronized void release() {
        stalled = false;
        generation++;
        notifyAll();
    }

    /** Every request so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests answered 2xx. */
    public synchronized List<Request> accepted() {
        return requests.stream().filter(r -> r.status() / 100 == 2).toList();
    }

    /** Waits until {@code count} requests were received (whatever they were answered). */
    public synchronized List<Request> awaitRequests(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("received " + requests.size() + " requests, not " + count + ", in "
                        + timeout);
            }
            waitNanos(left);
        }
        return List.copyOf(requests);
    }

    private void waitNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            List<String> verifiedBy = new ArrayList<>();
            String rejection = check(exchange.getRequestMethod(), headers, body, verifiedBy);
            int status = rejection != null ? (rejection.startsWith("bad request") ? 400 : 401) : script();
            synchronized (this) {
                requests.add(new Request(headers, body, status, List.copyOf(verifiedBy), rejection));
                notifyAll();
            }
            byte[] answer = (rejection != null ? rejection : "status " + status).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** What a scripted receiver answers a verified request; waits while stalled. */
    private synchronized int script() {
        long held = generation;
        long deadline = System.nanoTime() + MAX_STALL.toNanos();
        while (stalled && generation == held && System.nanoTime() < deadline) {
            waitNanos(deadline - System.nanoTime());
        }
        if (failNext > 0) {
            failNext--;
            return 500;
        }
        return gone ? 410 : 200;
    }

    /** Null when the request verifies; else why not ("bad request: ..." for a 400). */
    private String check(String method, Map<String, String> headers, byte[] body, List<String> verifiedBy) {
        if (!"POST".equals(method)) {
            return "bad request: method " + method;
        }
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return "bad request: webhook-id, webhook-timestamp and webhook-signature are required";
        }
        if (!timestamp.matches("[0-9]{1,12}")) {
            return "bad request: webhook-timestamp is not Unix seconds";
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
        if (skew > tolerance.toSeconds()) {
            return "timestamp outside the tolerance (" + skew + " s off)";
        }
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = Arrays.copyOf(prefix, prefix.length + body.length); // the bytes received, never re-encoded
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        for (String entry : signatures.split(" ")) {
            int comma = entry.indexOf(',');
            if (comma < 0) {
                continue;
            }
            String scheme = entry.substring(0, comma);
            byte[] signature;
            try {
                signature = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            try {
                if (scheme.equals("v1")) {
                    for (int i = 0; i < hmacKeys.size(); i++) {
                        Mac hmac = Mac.getInstance("HmacSHA256");
                        hmac.init(new SecretKeySpec(hmacKeys.get(i), "HmacSHA256"));
                        if (MessageDigest.isEqual(hmac.doFinal(signed), signature)) {
                            verifiedBy.add("v1#" + i);
                        }
                    }
                } else if (scheme.equals("v1a")) {
                    for (int i = 0; i < ed25519Keys.size(); i++) {
                        Signature ed25519 = Signature.getInstance("Ed25519");
                        ed25519.initVerify(ed25519Keys.get(i));
                        ed25519.update(signed);
                        if (ed25519.verify(signature)) {
                            verifiedBy.add("v1a#" + i);
                        }
                    }
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature verifies nothing
            }
        }
        return verifiedBy.isEmpty() ? "no signature verifies" : null;
    }
}
