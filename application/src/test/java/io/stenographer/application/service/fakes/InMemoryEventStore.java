package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.AppendEventsPort;
import io.stenographer.application.port.out.CountEventsPort;
import io.stenographer.application.port.out.ClientEventIdTaken;
import io.stenographer.application.port.out.LoadEventsPort;
import io.stenographer.application.port.out.SearchEventsPort;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.EventCursor;
import io.stenographer.domain.query.EventPage;
import io.stenographer.domain.query.PageRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The three event ports over a list, with transactional semantics: appends stay pending until the
 * {@link FakeTransactionRunner} commits and vanish on rollback. Every call must happen inside a
 * transaction, and each call is logged with the number of the transaction it ran in. It passes the same
 * contract as the PostgreSQL adapter ({@code EventStoreContractTest}): every search filter, keyset order
 * with ids compared as PostgreSQL compares uuids, and a taken client event id as {@link ClientEventIdTaken}.
 */
public final class InMemoryEventStore implements AppendEventsPort, LoadEventsPort, SearchEventsPort,
        CountEventsPort, FakeTransactionRunner.Participant {

    public record Append(int transaction, List<AuditEvent> events) {
    }

    public record Lookup(int transaction, TenantId tenant, List<String> clientEventIds) {
    }

    public record Search(int transaction, EventCriteria criteria, PageRequest page) {
    }

    /** PostgreSQL compares uuids bytewise, i.e. as two unsigned longs; {@link UUID#compareTo} is signed. */
    private static final Comparator<UUID> UUID_ORDER = Comparator
            .comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
            .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);
    private static final Comparator<AuditEvent> KEYSET = Comparator
            .comparing((AuditEvent e) -> e.content().occurredAt())
            .thenComparing(e -> e.id().value(), UUID_ORDER);

    private final FakeTransactionRunner transactions;
    private final List<AuditEvent> committed = new ArrayList<>();
    private final List<AuditEvent> pending = new ArrayList<>();
    private final List<Append> appends = new ArrayList<>();
    private final List<Lookup> lookups = new ArrayList<>();
    private final List<Search> searches = new ArrayList<>();
    private final List<Integer> findByIdTransactions = new ArrayList<>();
    private final Deque<AuditEvent> raceWinners = new ArrayDeque<>();
    private int racesThrown;

    public InMemoryEventStore(FakeTransactionRunner transactions) {
        this.transactions = transactions;
        transactions.enlist(this);
    }

    private final Map<TenantId, Map<String, EventId>> purgedKeys = new HashMap<>();

    /** The key of an event purged from the hot store: still taken, its content gone. */
    public void purgedKey(TenantId tenant, String clientEventId, EventId id) {
        purgedKeys.computeIfAbsent(tenant, t -> new HashMap<>()).put(clientEventId, id);
    }

    /** Stores events as if an earlier, already committed transaction had appended them. */
    public void seed(AuditEvent... events) {
        committed.addAll(List.of(events));
    }

    /**
     * The next append loses a race: {@code winner}, from a concurrent request, commits first and the
     * append throws {@link ClientEventIdTaken}. Queue it twice to lose twice.
     */
    public void loseNextAppendTo(AuditEvent winner) {
        raceWinners.add(winner);
    }

    @Override
    public void append(List<SealedEvent> sealedEvents) {
        List<AuditEvent> events = sealedEvents.stream().map(SealedEvent::event).toList();
        int tx = requireTransaction("append");
        appends.add(new Append(tx, List.copyOf(events)));
        if (!raceWinners.isEmpty()) {
            committed.add(raceWinners.poll());
            racesThrown++;
            throw new ClientEventIdTaken("the fake lost a race for a client event id", null);
        }
        // As the unique key on (tenant, client_event_id) does: a taken key fails the whole batch, typed, and the
        // transaction rolls back; nothing of the batch is stored.
        List<AuditEvent> batch = new ArrayList<>();
        for (AuditEvent event : events) {
            if (event.content().clientEventId() != null
                    && Stream.concat(all(), batch.stream()).anyMatch(e -> sameKey(e, event))) {
                throw new ClientEventIdTaken("client event id " + event.content().clientEventId()
                        + " is already recorded", null);
            }
            if (Stream.concat(all(), batch.stream()).anyMatch(e -> e.id().equals(event.id()))) {
                throw new IllegalStateException("the service appended a duplicate: " + event.id());
            }
            batch.add(event);
        }
        pending.addAll(batch);
    }

    @Override
    public Optional<AuditEvent> findById(EventId id) {
        findByIdTransactions.add(requireTransaction("findById"));
        return all().filter(e -> e.id().equals(id)).findFirst();
    }

    @Override
    public Map<String, IdempotencyRecord> findByClientEventIds(TenantId tenant, Collection<String> clientEventIds) {
        int tx = requireTransaction("findByClientEventIds");
        lookups.add(new Lookup(tx, tenant, List.copyOf(clientEventIds)));
        Map<String, IdempotencyRecord> found = new HashMap<>();
        all().filter(e -> e.tenant().equals(tenant) && e.content().clientEventId() != null
                        && clientEventIds.contains(e.content().clientEventId()))
                .forEach(e -> found.put(e.content().clientEventId(), new IdempotencyRecord(e.id(), e.leafHash(),
                        e.receivedAt(), e.submittedBy(), e.committedContentDigest())));
        purgedKeys.getOrDefault(tenant, Map.of()).forEach((key, id) -> {
            if (clientEventIds.contains(key)) {
                found.put(key, IdempotencyRecord.purged(id));
            }
        });
        return found;
    }

    @Override
    public EventPage search(EventCriteria criteria, PageRequest page) {
        int tx = requireTransaction("search");
        searches.add(new Search(tx, criteria, page));
        List<AuditEvent> matching = matching(criteria, page.after());
        List<AuditEvent> events = matching.subList(0, Math.min(page.limit(), matching.size()));
        EventCursor next = matching.size() > page.limit()
                ? new EventCursor(events.get(events.size() - 1).content().occurredAt(),
                        events.get(events.size() - 1).id())
                : null;
        return new EventPage(events, next);
    }

    /** Counts as the PostgreSQL adapter does: the search's matches, stopping at {@code cap + 1}. */
    @Override
    public long countUpTo(EventCriteria criteria, int cap) {
        requireTransaction("countUpTo");
        return Math.min(matching(criteria, null).size(), (long) cap + 1);
    }

    private List<AuditEvent> matching(EventCriteria criteria, EventCursor after) {
        return all()
                .filter(e -> e.tenant().equals(criteria.tenant()))
                .filter(e -> criteria.actorId() == null || criteria.actorId().equals(e.content().actor().id()))
                .filter(e -> criteria.action() == null || criteria.action().matches(e.content().action().value()))
                .filter(e -> criteria.resourceType() == null || e.content().resource() != null
                        && criteria.resourceType().equals(e.content().resource().type()))
                .filter(e -> criteria.resourceId() == null || e.content().resource() != null
                        && criteria.resourceId().equals(e.content().resource().id()))
                .filter(e -> criteria.outcome() == null || criteria.outcome() == e.content().outcome())
                .filter(e -> criteria.from() == null || !e.content().occurredAt().isBefore(criteria.from()))
                .filter(e -> criteria.to() == null || e.content().occurredAt().isBefore(criteria.to()))
                .filter(e -> criteria.sourceApplication() == null
                        || criteria.sourceApplication().equals(e.content().source().application()))
                .filter(e -> criteria.correlationId() == null
                        || criteria.correlationId().equals(e.content().correlationId()))
                .filter(e -> after == null || isAfter(e, after))
                .sorted(KEYSET)
                .toList();
    }

    @Override
    public void commit() {
        committed.addAll(pending);
        pending.clear();
    }

    @Override
    public void rollback() {
        pending.clear();
    }

    public List<AuditEvent> committed() {
        return List.copyOf(committed);
    }

    public List<Append> appends() {
        return List.copyOf(appends);
    }

    public List<Lookup> lookups() {
        return List.copyOf(lookups);
    }

    public List<Search> searches() {
        return List.copyOf(searches);
    }

    /** The transaction each findById call ran in. */
    public List<Integer> findByIdTransactions() {
        return List.copyOf(findByIdTransactions);
    }

    public int racesThrown() {
        return racesThrown;
    }

    private Stream<AuditEvent> all() {
        return Stream.concat(committed.stream(), pending.stream());
    }

    private static boolean sameKey(AuditEvent a, AuditEvent b) {
        return a.tenant().equals(b.tenant())
                && Objects.equals(a.content().clientEventId(), b.content().clientEventId());
    }

    private static boolean isAfter(AuditEvent event, EventCursor cursor) {
        int byTime = event.content().occurredAt().compareTo(cursor.occurredAt());
        return byTime > 0 || byTime == 0 && UUID_ORDER.compare(event.id().value(), cursor.id().value()) > 0;
    }

    private int requireTransaction(String operation) {
        int tx = transactions.current();
        if (tx == 0) {
            throw new IllegalStateException(operation + " called outside a transaction");
        }
        return tx;
    }
}
