package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.PropagateLegalHoldsPort;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.HoldAlreadyReleased;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.HoldPropagation;
import io.stenographer.domain.retention.LegalHold;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds and releases as append-only maps with transactional semantics; also a {@link PropagateLegalHoldsPort}
 * that records what it was told, and in which transaction.
 */
public final class InMemoryLegalHolds implements StoreLegalHoldsPort, PropagateLegalHoldsPort,
        FakeTransactionRunner.Participant {

    public record Notification(int transaction, String change, LegalHold hold) {
    }

    private final FakeTransactionRunner transactions;
    private final Map<HoldId, LegalHold> holds = new LinkedHashMap<>();
    private final Map<HoldId, LegalHold> releases = new LinkedHashMap<>();
    private final Map<HoldId, LegalHold> pendingHolds = new LinkedHashMap<>();
    private final Map<HoldId, LegalHold> pendingReleases = new LinkedHashMap<>();
    private final List<Notification> notifications = new ArrayList<>();
    private boolean failNextNotification;

    public InMemoryLegalHolds(FakeTransactionRunner transactions) {
        this.transactions = transactions;
        transactions.enlist(this);
    }

    /** Stores a hold (and its release, if it is released) as if an earlier transaction had. */
    public void seed(LegalHold hold) {
        holds.put(hold.id(), new LegalHold(hold.id(), hold.tenant(), hold.criteria(), hold.caseReference(),
                hold.reason(), hold.placedBy(), hold.placedAt(), null, null, null));
        if (!hold.isActive()) {
            releases.put(hold.id(), hold);
        }
    }

    /** The next change notification throws, as a failing S3 hook would. */
    public void failNextNotification() {
        failNextNotification = true;
    }

    @Override
    public void appendHold(LegalHold hold) {
        requireTransaction();
        if (!hold.isActive() || holds.containsKey(hold.id()) || pendingHolds.containsKey(hold.id())) {
            throw new IllegalStateException("a hold is appended once, active");
        }
        pendingHolds.put(hold.id(), hold);
    }

    @Override
    public void appendRelease(LegalHold released) {
        requireTransaction();
        if (released.isActive() || find(released.id()).isEmpty()) {
            throw new IllegalStateException("a release needs a stored hold and release fields");
        }
        if (releases.containsKey(released.id()) || pendingReleases.containsKey(released.id())) {
            throw new HoldAlreadyReleased(released.id());
        }
        pendingReleases.put(released.id(), released);
    }

    @Override
    public Optional<LegalHold> find(HoldId id) {
        requireTransaction();
        LegalHold release = releases.getOrDefault(id, pendingReleases.get(id));
        if (release != null) {
            return Optional.of(release);
        }
        return Optional.ofNullable(holds.getOrDefault(id, pendingHolds.get(id)));
    }

    @Override
    public List<LegalHold> all(TenantId tenant) {
        requireTransaction();
        List<LegalHold> all = new ArrayList<>();
        for (HoldId id : ids()) {
            LegalHold hold = find(id).orElseThrow();
            if (hold.tenant().equals(tenant)) {
                all.add(hold);
            }
        }
        return all;
    }

    @Override
    public List<LegalHold> active(TenantId tenant) {
        return all(tenant).stream().filter(LegalHold::isActive).toList();
    }

    @Override
    public HoldPropagation placed(LegalHold hold) {
        return notify("placed", hold);
    }

    @Override
    public HoldPropagation released(LegalHold hold) {
        return notify("released", hold);
    }

    private HoldPropagation notify(String change, LegalHold hold) {
        notifications.add(new Notification(transactions.current(), change, hold));
        if (failNextNotification) {
            failNextNotification = false;
            return new HoldPropagation(1, 0, List.of("segment s-1: the archive could not set the legal hold"));
        }
        return new HoldPropagation(1, 1, List.of());
    }

    @Override
    public void commit() {
        holds.putAll(pendingHolds);
        releases.putAll(pendingReleases);
        pendingHolds.clear();
        pendingReleases.clear();
    }

    @Override
    public void rollback() {
        pendingHolds.clear();
        pendingReleases.clear();
    }

    public List<Notification> notifications() {
        return List.copyOf(notifications);
    }

    public int committedHolds() {
        return holds.size();
    }

    public int committedReleases() {
        return releases.size();
    }

    private List<HoldId> ids() {
        List<HoldId> ids = new ArrayList<>(holds.keySet());
        pendingHolds.keySet().stream().filter(id -> !holds.containsKey(id)).forEach(ids::add);
        return ids;
    }

    private void requireTransaction() {
        if (transactions.current() == 0) {
            throw new IllegalStateException("called outside a transaction");
        }
    }
}
