package io.stenographer.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.privacy.DataPolicy;
import io.stenographer.domain.privacy.Disclosure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A stand-in for the service that the client tests drive, honest by default: it seals events the way the service
 * does (through the domain), keeps their tree and signs checkpoints. It can be told to answer with scripted statuses,
 * to hold requests, and to lie in each of the ways the client must catch. It is a test double for exactly those
 * cases; the client's round trip against the real packaged service is {@code AuditClientIT} in bootstrap.
 */
final class FakeAuditService implements AutoCloseable {

    static final String TENANT = "acme";
    static final String SUBMITTER = "https://issuer.example/client-test";

    enum Lie {
        NONE, WRONG_LEAF_HASH_IN_RECEIPT, BAD_INCLUSION_PROOF, FOREIGN_SIGNATURE, FORK, ROLLBACK,
        /** v2: the first opening returned has one bit flipped, so it does not open its commitment. */
        WRONG_OPENING,
        /** v2: the first committed field's opening is left out of the answer. */
        MISSING_OPENING,
        /** v2: the answer adds an opening for {@code metadata.unsent}, a field the client never sent. */
        OPENING_FOR_UNSENT_FIELD,
        /** v2: the first opening is written in upper-case hex, which the protocol does not allow. */
        UPPER_CASE_OPENING,
        /** v2: the answer names {@code actor.type}, which cannot be personal. */
        OPENING_FOR_FIELD_THAT_CANNOT_BE_PERSONAL,
        /** v2, personal identifiers: the pseudonym returned is not the one the leaf holds. */
        WRONG_PSEUDONYM,
        /** v2, personal identifiers: the answer commits to an identifier but leaves its pseudonym out. */
        MISSING_PSEUDONYM
    }

    volatile Lie lie = Lie.NONE;
    /** How many of the next batch answers leave their last item out (a service or proxy fault). */
    final java.util.concurrent.atomic.AtomicInteger answersLeavingOutTheLastItem =
            new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Replays (status duplicate) come back without openings, as after the data subject's erasure: the service no
     * longer has them to give.
     */
    volatile boolean openingsErased;
    /** Statuses the batch endpoint answers with, one per request, before it answers honestly. */
    final Queue<Integer> scriptedStatuses = new ConcurrentLinkedQueue<>();
    volatile String retryAfter;
    /** When set, a batch request waits for it to open before it is answered. */
    volatile CountDownLatch gate;
    final CountDownLatch firstBatchArrived = new CountDownLatch(1);
    final List<Instant> batchArrivals = new CopyOnWriteArrayList<>();
    final List<List<String>> batchKeys = new CopyOnWriteArrayList<>();
    /** Each batch's events as sent. */
    final List<List<JsonObject>> batchEvents = new CopyOnWriteArrayList<>();
    /** This many batches are recorded and then answered 503, as if the answer were lost on its way. */
    final java.util.concurrent.atomic.AtomicInteger recordThenLoseAnswers =
            new java.util.concurrent.atomic.AtomicInteger();
    final List<Integer> batchBytes = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** Every event recorded, as sealed (v1, or v2 under the data policy), in log order. */
    final List<AuditEvent> sealedEvents = new CopyOnWriteArrayList<>();
    /** Every created or duplicate answer item, as sent to the client. */
    final List<JsonObject> answeredItems = new CopyOnWriteArrayList<>();

    private final NoteSigner signer = new NoteSigner("stenographer.local", Ed25519Keys.generate().getPrivate());
    private final NoteSigner stranger = new NoteSigner("stenographer.local", Ed25519Keys.generate().getPrivate());
    private final Map<String, JsonObject> receiptsByKey = new HashMap<>();
    private final Map<UUID, Integer> indexOfEvent = new HashMap<>();
    private final List<Hash> leaves = new ArrayList<>();
    private final HttpServer server;
    /** Which fields the tenant's data policy makes personal: sealed as v2 with random openings, returned. */
    private final DataPolicy policy;
    private final SecureRandom random = new SecureRandom();

    /** A service whose tenant has nothing personal: every event is sealed as v1. */
    FakeAuditService() {
        this(DataPolicy.NOTHING_PERSONAL);
    }

    /** A service whose tenant has this data policy: an event with a personal value present is sealed as v2. */
    FakeAuditService(DataPolicy policy) {
        this.policy = policy;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-audit-service");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String verifierKey() {
        return signer.verifier().toVerifierKey();
    }

    synchronized int recordedEvents() {
        return leaves.size();
    }

    AuditClient.Builder client() {
        return AuditClient.builder(uri()).tenant(TENANT).application("client-test").tokens(() -> "token-1")
                .verifierKey(verifierKey()).linger(java.time.Duration.ofMillis(5))
                .backoff(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(200))
                .verifyTimeout(java.time.Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        CountDownLatch held = gate;
        if (held != null) {
            held.countDown();
        }
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (path.equals("/api/v1/events/batch") && exchange.getRequestMethod().equals("POST")) {
                batch(exchange);
            } else if (path.equals("/api/v1/logs/" + TENANT + "/proof/inclusion")) {
                inclusion(exchange, UUID.fromString(query.get("eventId")));
            } else if (path.equals("/api/v1/logs/" + TENANT + "/proof/consistency")) {
                consistency(exchange, Long.parseLong(query.get("from")), Long.parseLong(query.get("to")));
            } else if (path.equals("/api/v1/logs/" + TENANT + "/checkpoint")) {
                checkpoint(exchange);
            } else {
                answer(exchange, 404, problem("not-found", null, "no such path"));
            }
        } catch (RuntimeException e) {
            answer(exchange, 500, problem("internal", null, e.toString()));
        }
    }

    private void batch(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        batchArrivals.add(Instant.now());
        batchBytes.add(body.length);
        List<JsonValue> events = ((JsonArray) ((JsonObject) JsonParser.parse(body, 64)).get("events")).elements();
        batchKeys.add(events.stream().map(e -> ((JsonString) ((JsonObject) e).get("clientEventId")).value())
                .collect(Collectors.toList()));
        batchEvents.add(events.stream().map(JsonObject.class::cast).toList());
        firstBatchArrived.countDown();
        CountDownLatch held = gate;
        if (held != null) {
            try {
                held.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (recordThenLoseAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            synchronized (this) {
                for (int i = 0; i < events.size(); i++) {
                    record(i, (JsonObject) events.get(i));
                }
            }
            answer(exchange, 503, problem("scripted-503", null, "recorded, answer lost"));
            return;
        }
        Integer scripted = scriptedStatuses.poll();
        if (scripted != null) {
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            String field = scripted == 400 ? "events[0].action" : null;
            answer(exchange, scripted, problem("scripted-" + scripted, field, "scripted answer " + scripted));
            return;
        }
        List<JsonValue> items = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < events.size(); i++) {
                items.add(record(i, (JsonObject) events.get(i)));
            }
        }
        if (answersLeavingOutTheLastItem.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            items.remove(items.size() - 1); // recorded, but the answer says nothing about it
        }
        answer(exchange, 200, json(Map.of("items", new JsonArray(items))));
    }

    /** Seals the event as the service does, or replays the receipt of its key. */
    private JsonObject record(int index, JsonObject event) {
        String key = ((JsonString) event.get("clientEventId")).value();
        JsonObject earlier = receiptsByKey.get(key);
        if (earlier != null) {
            Map<String, JsonValue> replay = new LinkedHashMap<>(earlier.members());
            replay.put("index", new io.stenographer.domain.json.JsonNumber(index));
            replay.put("status", new JsonString("duplicate"));
            if (openingsErased) {
                replay.remove("openings");
            }
            answeredItems.add(new JsonObject(replay));
            return new JsonObject(replay);
        }
        UUID id = UUID.randomUUID();
        Instant receivedAt = Timestamps.truncate(Instant.now());
        Map<String, JsonValue> sealed = new LinkedHashMap<>(event.members());
        sealed.put("format", new JsonString(SealedEventFormat.FORMAT));
        sealed.put("id", new JsonString(id.toString()));
        sealed.put("receivedAt", new JsonString(Timestamps.format(receivedAt)));
        sealed.put("submittedBy", new JsonString(SUBMITTER));
        AuditEvent sent = SealedEventFormat.fromJson(new JsonObject(sealed));
        DataPolicy.Separation separation = policy.separate(sent.content(), field -> opening(), PSEUDONYMS);
        AuditEvent audited = AuditEvent.record(sent.id(), receivedAt, SUBMITTER, separation.committedDraft(),
                separation.commitments());
        Hash leafHash = audited.leafHash();
        indexOfEvent.put(id, leaves.size());
        leaves.add(leafHash);
        Hash told = lie == Lie.WRONG_LEAF_HASH_IN_RECEIPT ? flipped(leafHash) : leafHash;
        Map<String, JsonValue> item = new LinkedHashMap<>();
        item.put("index", new io.stenographer.domain.json.JsonNumber(index));
        item.put("status", new JsonString("created"));
        item.put("id", new JsonString(id.toString()));
        item.put("leafHash", new JsonString(told.hex()));
        item.put("receivedAt", new JsonString(Timestamps.format(receivedAt)));
        item.put("submittedBy", new JsonString(SUBMITTER));
        Map<String, JsonValue> openings = openings(separation.disclosures());
        if (!openings.isEmpty()) {
            item.put("openings", new JsonObject(openings));
        }
        if (!separation.pseudonyms().isEmpty() && lie != Lie.MISSING_PSEUDONYM) {
            Map<String, JsonValue> pseudonyms = new LinkedHashMap<>();
            separation.pseudonyms().forEach((field, pseudonym) -> pseudonyms.put(field.path(),
                    new JsonString(lie == Lie.WRONG_PSEUDONYM ? flippedPseudonym(pseudonym) : pseudonym)));
            item.put("pseudonyms", new JsonObject(pseudonyms));
        }
        receiptsByKey.put(key, new JsonObject(item));
        sealedEvents.add(audited);
        answeredItems.add(new JsonObject(item));
        return new JsonObject(item);
    }

    /** The service keys its pseudonyms; a client only ever copies them, so any stable hash stands in. */
    static final DataPolicy.Pseudonyms PSEUDONYMS = identifier -> io.stenographer.domain.event.Pseudonym.of(
            java.util.Arrays.copyOf(identifier.getBytes(java.nio.charset.StandardCharsets.UTF_8), 32));

    private static String flippedPseudonym(String pseudonym) {
        char last = pseudonym.charAt(pseudonym.length() - 1);
        return pseudonym.substring(0, pseudonym.length() - 1) + (last == '0' ? '1' : '0');
    }

    private byte[] opening() {
        byte[] opening = new byte[io.stenographer.domain.event.Commitment.OPENING_LENGTH];
        random.nextBytes(opening);
        return opening;
    }

    /** The openings member of the answer item, by path in the leaf's order, as the lie in force tells it. */
    private Map<String, JsonValue> openings(List<Disclosure> disclosures) {
        Map<String, JsonValue> openings = new LinkedHashMap<>();
        for (Disclosure disclosure : disclosures) {
            openings.put(disclosure.field().path(), new JsonString(HexFormat.of().formatHex(disclosure.opening())));
        }
        if (openings.isEmpty()) {
            return openings;
        }
        String first = openings.keySet().iterator().next();
        switch (lie) {
            case WRONG_OPENING -> {
                byte[] wrong = HexFormat.of().parseHex(((JsonString) openings.get(first)).value());
                wrong[0] ^= 1;
                openings.put(first, new JsonString(HexFormat.of().formatHex(wrong)));
            }
            case MISSING_OPENING -> openings.remove(first);
            case OPENING_FOR_UNSENT_FIELD -> openings.put("metadata.unsent",
                    new JsonString(HexFormat.of().formatHex(opening())));
            case UPPER_CASE_OPENING -> openings.put(first,
                    new JsonString(((JsonString) openings.get(first)).value().toUpperCase(java.util.Locale.ROOT)
                            .replaceAll("[0-9]", "A")));
            case OPENING_FOR_FIELD_THAT_CANNOT_BE_PERSONAL -> openings.put("actor.type",
                    new JsonString(HexFormat.of().formatHex(opening())));
            default -> {
            }
        }
        return openings;
    }

    private synchronized void inclusion(HttpExchange exchange, UUID eventId) throws IOException {
        Integer index = indexOfEvent.get(eventId);
        if (index == null) {
            answer(exchange, 400, problem("validation-failed", "eventId", "no leaf of this event in this log"));
            return;
        }
        long size = lie == Lie.ROLLBACK ? index + 1 : leaves.size();
        InMemoryMerkleTree tree = tree();
        InclusionProof proof = tree.inclusionProof(index, size);
        List<Hash> path = new ArrayList<>(proof.path());
        if (lie == Lie.BAD_INCLUSION_PROOF) {
            path.set(0, flipped(path.get(0)));
        }
        Map<String, JsonValue> body = new LinkedHashMap<>();
        body.put("tenant", new JsonString(TENANT));
        body.put("eventId", new JsonString(eventId.toString()));
        body.put("leafIndex", new io.stenographer.domain.json.JsonNumber(index));
        body.put("leafHash", new JsonString(tree.leafHash(index).hex()));
        body.put("treeSize", new io.stenographer.domain.json.JsonNumber(size));
        body.put("rootHash", new JsonString(tree.root(size).base64()));
        body.put("inclusionProof", new JsonArray(path.stream().map(h -> (JsonValue) new JsonString(h.base64()))
                .toList()));
        body.put("checkpoint", new JsonString(note(tree, size)));
        answer(exchange, 200, json(body));
    }

    private synchronized void consistency(HttpExchange exchange, long from, long to) throws IOException {
        InMemoryMerkleTree tree = tree();
        List<JsonValue> path = tree.consistencyProof(from, to).path().stream()
                .map(h -> (JsonValue) new JsonString(h.base64())).toList();
        answer(exchange, 200, json(Map.of("fromSize", new io.stenographer.domain.json.JsonNumber(from),
                "toSize", new io.stenographer.domain.json.JsonNumber(to), "proof", new JsonArray(path))));
    }

    private synchronized void checkpoint(HttpExchange exchange) throws IOException {
        long size = lie == Lie.ROLLBACK ? 1 : leaves.size();
        answer(exchange, 200, json(Map.of("signedNote", new JsonString(note(tree(), size)))));
    }

    /** The tree served: the true one, or for FORK one whose first leaf was rewritten. */
    private InMemoryMerkleTree tree() {
        List<Hash> served = new ArrayList<>(leaves);
        if (lie == Lie.FORK) {
            served.set(0, flipped(served.get(0)));
        }
        return InMemoryMerkleTree.of(served);
    }

    private String note(InMemoryMerkleTree tree, long size) {
        Checkpoint checkpoint = Checkpoint.of("stenographer.local/" + TENANT, size, tree.root(size));
        return checkpoint.sign(lie == Lie.FOREIGN_SIGNATURE ? stranger : signer).serialize();
    }

    private static Hash flipped(Hash hash) {
        byte[] bytes = hash.bytes().clone();
        bytes[0] ^= 1;
        return new Hash(bytes);
    }

    private static JsonObject problem(String slug, String field, String detail) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("type", new JsonString("urn:stenographer:problem:" + slug));
        members.put("detail", new JsonString(field == null ? detail : field + ": " + detail));
        if (field != null) {
            members.put("field", new JsonString(field));
            members.put("errors", new JsonArray(List.of(new JsonObject(Map.of("field", new JsonString(field),
                    "detail", new JsonString(detail))))));
        }
        return new JsonObject(members);
    }

    private static JsonObject json(Map<String, JsonValue> members) {
        return new JsonObject(members);
    }

    private static void answer(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = CanonicalJson.canonicalBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                        StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
