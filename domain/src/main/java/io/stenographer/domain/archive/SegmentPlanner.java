package io.stenographer.domain.archive;

import io.stenographer.domain.archive.SegmentManifest.PolicyRef;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.MerkleTree;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetentionRules;
import io.stenographer.domain.retention.RetentionSubject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The manifest a segment needs: which policy versions governed its events, and the lock that keeps every one of
 * them as long as its policy says (never shorter than one already set, never before {@code now + minimumLock}).
 * One place for a new segment and for one an interrupted run left behind.
 */
public final class SegmentPlanner {

    private SegmentPlanner() {
    }

    /**
     * @param alreadyLocked the lock the stored object carries already, or null for a new object
     */
    public static SegmentManifest manifest(TenantId tenant, String key, List<SegmentEntry> entries, byte[] object,
            PublishedCheckpoint checkpoint, RetentionPolicies policies, Instant alreadyLocked, Instant now,
            Duration minimumLock) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a segment holds at least one event");
        }
        Set<PolicyRef> used = new LinkedHashSet<>();
        Instant retainUntil = alreadyLocked;
        for (SegmentEntry entry : entries) {
            RetentionSubject subject = RetentionSubject.of(entry.event());
            RetentionPolicy policy = policies.resolve(subject);
            used.add(new PolicyRef(policy.id().value(), policy.version(), policy.legalBasis()));
            retainUntil = RetentionRules.lockUntil(retainUntil, RetentionRules.retainUntil(subject, policy));
        }
        retainUntil = RetentionRules.lockFrom(now, retainUntil, minimumLock);
        long from = entries.get(0).index();
        return new SegmentManifest(tenant, key, from, from + entries.size(), SegmentCheck.sha256Hex(object),
                MerkleTree.root(entries.stream().map(SegmentEntry::leafHash).toList()), checkpoint.treeSize(),
                checkpoint.signedNote(), List.copyOf(used), retainUntil, now);
    }
}
