package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.AppendLogPort;
import io.stenographer.application.port.out.LoadPendingEventsPort;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The sequencer's queue and log writes over an {@link InMemoryLog}: queued leaves are handed out in order and leave
 * the queue once appended. Tenants are listed in tenant order from the one asked for, wrapping around, as the
 * PostgreSQL adapter lists them.
 */
public final class InMemorySequencer implements LoadPendingEventsPort, AppendLogPort {

    private final InMemoryLog log;
    private final Map<TenantId, List<PendingLeaf>> queued = new LinkedHashMap<>();
    private Consumer<TenantId> onRead = tenant -> { };

    public InMemorySequencer(InMemoryLog log) {
        this.log = log;
    }

    public void queue(AuditEvent event) {
        queued.computeIfAbsent(event.tenant(), t -> new ArrayList<>())
                .add(new PendingLeaf(event.id(), event.leafHash(), event.receivedAt()));
    }

    public int queued(TenantId tenant) {
        return queued.getOrDefault(tenant, List.of()).size();
    }

    /** Runs before each tenant's pending leaves are read, e.g. to let a clock advance as a slow tenant would. */
    public void onRead(Consumer<TenantId> action) {
        this.onRead = action;
    }

    @Override
    public List<TenantId> tenantsWithPendingEvents(Optional<TenantId> after, int max) {
        List<TenantId> pending = queued.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey).sorted(Comparator.comparing(TenantId::value)).toList();
        String from = after.map(TenantId::value).orElse("");
        List<TenantId> ordered = new ArrayList<>();
        pending.stream().filter(t -> t.value().compareTo(from) > 0).forEach(ordered::add);
        pending.stream().filter(t -> t.value().compareTo(from) <= 0).forEach(ordered::add);
        return ordered.subList(0, Math.min(max, ordered.size()));
    }

    @Override
    public Set<TenantId> tryLockSequencers(Collection<TenantId> tenants) {
        return Set.copyOf(tenants);
    }

    @Override
    public Map<TenantId, List<PendingLeaf>> pendingLeaves(Collection<TenantId> tenants, int limitEach) {
        Map<TenantId, List<PendingLeaf>> pending = new LinkedHashMap<>();
        for (TenantId tenant : tenants) {
            onRead.accept(tenant);
            List<PendingLeaf> queue = queued.getOrDefault(tenant, List.of());
            if (!queue.isEmpty()) {
                pending.put(tenant, List.copyOf(queue.subList(0, Math.min(limitEach, queue.size()))));
            }
        }
        return pending;
    }

    @Override
    public void extendLogs(List<LogExtension> extensions) {
        for (LogExtension extension : extensions) {
            TenantId tenant = extension.tenant();
            if (log.treeSize(tenant) != extension.firstIndex()) {
                throw new IllegalStateException("leaves of " + tenant + " appended at " + extension.firstIndex()
                        + ", but the tree has " + log.treeSize(tenant));
            }
            for (PendingLeaf leaf : extension.leaves()) {
                log.appendLeaf(tenant, leaf.eventId(), leaf.leafHash());
                queued.getOrDefault(tenant, new ArrayList<>()).remove(leaf);
            }
            log.addCheckpoint(extension.checkpoint());
        }
    }
}
