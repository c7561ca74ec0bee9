package io.stenographer.bootstrap.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A client's view of what it sent to packaged services that get killed: every request with its idempotency key
 * and exact body, every receipt, and every request that got no receipt and must be re-sent. Crash and
 * multi-process suites check the database against it afterwards.
 */
public final class IngestLedger {

    /** One request as sent; a re-send repeats it byte for byte under the same key. */
    public record Request(String key, String tenant, String body, boolean batch) {
    }

    /** What a receipt promised: this event id, stored with this leaf hash. */
    public record Receipt(String eventId, String leafHash, String tenant) {
    }

    private final String keyPrefix;
    private final List<String> tenants;
    private final String writerToken;
    private final int batchSize;
    private final Map<String, Request> sent = new ConcurrentHashMap<>();
    private final Map<String, Receipt> acknowledged = new ConcurrentHashMap<>();
    private final Set<String> unacknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sequence = new AtomicInteger();
    private int resent;
    private int resentAlreadyStored;

    public IngestLedger(String keyPrefix, List<String> tenants, String writerToken, int batchSize) {
        this.keyPrefix = keyPrefix;
        this.tenants = List.copyOf(tenants);
        this.writerToken = writerToken;
        this.batchSize = batchSize;
    }

    /**
     * Sends requests, round-robin over the tenants, to whatever service {@code target} names at each request,
     * until {@code writing} turns false. A request without a receipt is remembered for {@link #resendUnacknowledged}.
     */
    public void write(Supplier<Api> target, boolean batches, AtomicBoolean writing) {
        while (writing.get()) {
            Request request = next(batches);
            sent.put(request.key(), request);
            inFlight.add(request.key());
            boolean answered;
            try {
                answered = send(target.get(), request).isPresent();
            } finally {
                inFlight.remove(request.key());
            }
            if (!answered) {
                unacknowledged.add(request.key());
            }
        }
    }

    private Request next(boolean batch) {
        int number = sequence.incrementAndGet();
        String tenant = tenants.get(number % tenants.size());
        String key = keyPrefix + "-" + number;
        if (!batch) {
            return new Request(key, tenant, Events.event(tenant, "user-1", "case.view", "C-" + key).strip(), false);
        }
        List<String> events = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            events.add(Events.event(tenant, "user-" + i, "case.view", "C-" + key + "-" + i).strip());
        }
        return new Request(key, tenant, "{\"events\":[" + String.join(",", events) + "]}", true);
    }

    /**
     * Sends one request and records its receipts. Empty when it got no answer a client could rely on (none, or a
     * 5xx); otherwise how many of its events the service reported as already stored ({@code duplicate}).
     */
    private Optional<Integer> send(Api api, Request request) {
        HttpResponse<String> response;
        try {
            response = api.post(request.batch() ? "/api/v1/events/batch" : "/api/v1/events", writerToken,
                    request.key(), request.body());
        } catch (UncheckedIOException noAnswer) {
            return Optional.empty();
        }
        int status = response.statusCode();
        if (status >= 500) {
            return Optional.empty();
        }
        JsonNode body = Api.json(response);
        if (!request.batch()) {
            if (status == 201 || status == 200) {
                acknowledged.put(request.key(), receipt(body, request.tenant()));
                return Optional.of(status == 200 ? 1 : 0);
            }
            refusals.add(request.key() + ": " + Api.describe(response));
            return Optional.of(0);
        }
        if (status != 200) {
            refusals.add(request.key() + ": " + Api.describe(response));
            return Optional.of(0);
        }
        int duplicates = 0;
        for (JsonNode item : body.get("items")) {
            String itemStatus = item.get("status").asText();
            if (itemStatus.equals("created") || itemStatus.equals("duplicate")) {
                acknowledged.put(request.key() + ":" + item.get("index").asInt(), receipt(item, request.tenant()));
                duplicates += itemStatus.equals("duplicate") ? 1 : 0;
            } else {
                refusals.add(request.key() + ": item " + item);
            }
        }
        return Optional.of(duplicates);
    }

    private static Receipt receipt(JsonNode body, String tenant) {
        return new Receipt(body.get("id").asText(), body.get("leafHash").asText(), tenant);
    }

    /**
     * Re-sends, with its key and its exact body, every request that got no receipt, until each is answered; each
     * must then give a receipt for every one of its events (created, or duplicate where the lost answer's commit
     * had landed). Returns how many requests were re-sent.
     */
    public int resendUnacknowledged(Api api, Duration deadline) {
        int count = 0;
        for (String key : List.copyOf(unacknowledged)) {
            Request request = sent.get(key);
            int before = acknowledged.size();
            int alreadyStored = Await.present("an answer to the re-sent request " + key, deadline,
                    () -> send(api, request));
            assertThat(acknowledged.size()).as("receipts for the re-sent %s", key)
                    .isEqualTo(before + (request.batch() ? batchSize : 1));
            unacknowledged.remove(key);
            count++;
            resent++;
            resentAlreadyStored += alreadyStored;
        }
        return count;
    }

    /** Acknowledged events that are not stored, stored with another leaf hash than their receipt's, or in no leaf. */
    public List<String> lostOrChanged(Connection db) throws SQLException {
        List<String> lost = new ArrayList<>();
        try (PreparedStatement find = db.prepareStatement("select encode(e.leaf_hash, 'hex'), l.leaf_index"
                + " from audit_event e left join log_leaf l on l.event_id = e.id where e.id = ?::uuid")) {
            for (Map.Entry<String, Receipt> entry : acknowledged.entrySet()) {
                Receipt receipt = entry.getValue();
                find.setString(1, receipt.eventId());
                try (ResultSet row = find.executeQuery()) {
                    if (!row.next()) {
                        lost.add(entry.getKey() + " -> " + receipt + ": not stored");
                    } else if (!row.getString(1).equals(receipt.leafHash())) {
                        lost.add(entry.getKey() + " -> " + receipt + ": stored with leaf hash " + row.getString(1));
                    } else if (row.getObject(2) == null) {
                        lost.add(entry.getKey() + " -> " + receipt + ": stored but in no leaf");
                    }
                }
            }
        }
        return lost;
    }

    /** The ids of every acknowledged event, per tenant. */
    public Map<String, Set<String>> acknowledgedEventIds() {
        Map<String, Set<String>> ids = new java.util.TreeMap<>();
        acknowledged.values().forEach(r -> ids.computeIfAbsent(r.tenant(), t -> new java.util.HashSet<>())
                .add(r.eventId()));
        return ids;
    }

    public int acknowledgedCount() {
        return acknowledged.size();
    }

    public int unacknowledgedCount() {
        return unacknowledged.size();
    }

    public boolean anyInFlight() {
        return !inFlight.isEmpty();
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    /** Requests the service refused (conflicts, rejections): a correct client never gets one here. */
    public List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    public int resent() {
        return resent;
    }

    /** Events that a re-sent request found already stored: their first answer was lost, their commit was not. */
    public int resentAlreadyStored() {
        return resentAlreadyStored;
    }
}
