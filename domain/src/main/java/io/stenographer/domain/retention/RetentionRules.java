package io.stenographer.domain.retention;

import io.stenographer.domain.event.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules every archive and purge step must pass, as pure functions. Each decision carries its reason.
 *
 * <h2>Time base</h2>
 * Retention counts from {@code receivedAt}, the time the server sealed into the event, never from
 * {@code occurredAt}, which the client chose: a client that back-dates an event cannot shorten how long
 * it is kept. (Legal holds, in contrast, select events by {@code occurredAt}, as a court order names the
 * period in which things happened; see {@link HoldCriteria}.)
 *
 * <h2>Holds win</h2>
 * Anything an active legal hold covers is never deleted, anywhere: it does not leave the hot store and its
 * archived copy is not deleted, whatever the policy says. A released hold no longer blocks; a hold of
 * another tenant never applies.
 *
 * <h2>WORM locks</h2>
 * {@link #lockUntil} never shortens a lock already set, because an S3 Object Lock in COMPLIANCE mode can
 * be extended but never shortened. A new policy version therefore applies to segments archived after it,
 * and a shorter new version never shortens what earlier segments already carry.
 */
public final class RetentionRules {

    private RetentionRules() {
    }

    /** When the event may be archived: {@code receivedAt + archiveAfter}. */
    public static Instant archiveDueAt(RetentionSubject subject, RetentionPolicy policy) {
        return archiveDueAt(subject.receivedAt(), policy);
    }

    /** When an event received then, under this policy, may leave the hot store; later receipts are due later. */
    public static Instant archiveDueAt(Instant receivedAt, RetentionPolicy policy) {
        return policy.archiveAfter().addTo(receivedAt);
    }

    /**
     * Until when the event must be kept: {@code receivedAt + retainFor}. Calendar arithmetic can make this
     * fall before {@link #archiveDueAt} for one particular {@code receivedAt} even though
     * {@code retainFor ≥ archiveAfter} as compared (e.g. {@code P1M} against {@code P30D} from 1 February);
     * then the archive due date is returned, so an archived copy is never due for deletion before it was due
     * for archiving.
     */
    public static Instant retainUntil(RetentionSubject subject, RetentionPolicy policy) {
        Instant until = policy.retainFor().addTo(subject.receivedAt());
        Instant due = archiveDueAt(subject, policy);
        return until.isBefore(due) ? due : until;
    }

    /**
     * When the event may be copied to the archive: the earliest archive date that any policy able to apply to its
     * tenant gives its receipt. Segments follow index order, so a copy date of its own would let one event under a
     * longer {@code archiveAfter} hold back every event behind it. Copying early is safe: the event leaves the hot
     * store only at its own policy's date ({@link #mayLeaveHotStore}), and its copy is locked to its own retention end.
     */
    public static Instant archiveCopyDueAt(RetentionSubject subject, RetentionPolicies policies) {
        Instant earliest = null;
        for (RetentionPolicy policy : policies.applicableTo(subject.tenant())) {
            Instant due = archiveDueAt(subject, policy);
            if (earliest == null || due.isBefore(earliest)) {
                earliest = due;
            }
        }
        return earliest; // never null: the default policy applies to every tenant
    }

    /** May the event be copied to the archive: it is integrated into its log and {@link #archiveCopyDueAt} has come. */
    public static RetentionDecision mayArchive(RetentionSubject subject, RetentionPolicies policies,
            boolean integrated, Instant now) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(now, "now");
        if (!integrated) {
            return RetentionDecision.deny("not yet integrated into the log");
        }
        Instant due = archiveCopyDueAt(subject, policies);
        if (now.isBefore(due)) {
            return RetentionDecision.deny("archive copy due at " + Timestamps.format(due)
                    + ", the earliest date of the tenant's policies");
        }
        return RetentionDecision.allow("integrated, and archive copy due since " + Timestamps.format(due)
                + "; it leaves the hot store under " + describe(policies.resolve(subject)));
    }

    /**
     * May the event be removed from the hot store: its archived copy is confirmed, its archive date has come,
     * and no active legal hold covers it.
     */
    public static RetentionDecision mayLeaveHotStore(RetentionSubject subject, RetentionPolicy policy,
            boolean archiveConfirmed, Collection<LegalHold> holds, Instant now) {
        requireApplies(subject, policy);
        Objects.requireNonNull(holds, "holds");
        Objects.requireNonNull(now, "now");
        if (!archiveConfirmed) {
            return RetentionDecision.deny("no confirmed archive copy");
        }
        Instant due = archiveDueAt(subject, policy);
        if (now.isBefore(due)) {
            return RetentionDecision.deny("archive due at " + Timestamps.format(due) + " under " + describe(policy));
        }
        Optional<LegalHold> hold = holds.stream().filter(h -> h.covers(subject)).findFirst();
        if (hold.isPresent()) {
            return RetentionDecision.deny("under legal hold " + hold.get().id());
        }
        return RetentionDecision.allow("archive confirmed, due since " + Timestamps.format(due)
                + ", and no active legal hold covers it");
    }

    /**
     * May an archived segment be deleted: its retention has passed and no active legal hold covers any of its
     * events. A segment holds at least one event; an empty list is refused as a caller error, since it would
     * make "no hold covers any event" vacuously true.
     */
    public static RetentionDecision mayDeleteArchiveCopy(Instant segmentRetainUntil,
            Collection<RetentionSubject> segmentEvents, Collection<LegalHold> holds, Instant now) {
        Objects.requireNonNull(segmentRetainUntil, "segmentRetainUntil");
        Objects.requireNonNull(segmentEvents, "segmentEvents");
        Objects.requireNonNull(holds, "holds");
        Objects.requireNonNull(now, "now");
        if (segmentEvents.isEmpty()) {
            throw new IllegalArgumentException("a segment's events are needed to check it against legal holds");
        }
        if (now.isBefore(segmentRetainUntil)) {
            return RetentionDecision.deny("retained until " + Timestamps.format(segmentRetainUntil));
        }
        for (LegalHold hold : holds) {
            if (!hold.isActive()) {
                continue;
            }
            for (RetentionSubject event : segmentEvents) {
                if (hold.covers(event)) {
                    return RetentionDecision.deny("under legal hold " + hold.id());
                }
            }
        }
        return RetentionDecision.allow("retention ended " + Timestamps.format(segmentRetainUntil)
                + " and no active legal hold covers any of its events");
    }

    /**
     * The retention lock to set on a WORM object: {@code wanted}, unless a later lock is already set, which is
     * kept. A COMPLIANCE lock can be extended, never shortened.
     *
     * @param alreadySet the lock the object carries now, or null if it has none
     */
    /**
     * The default shortest lock an archive copy gets: a copy whose retention already ended (a policy with
     * {@code retainFor == archiveAfter}, or an archive run that lagged) is still locked this long from now, because a
     * lock date in the past is refused by every WORM store and would stop the tenant's archiving for good.
     */
    public static final Duration DEFAULT_MINIMUM_LOCK = Duration.ofDays(1);

    /** {@code wanted}, or {@code now + minimum} if that is later. */
    public static Instant lockFrom(Instant now, Instant wanted, Duration minimum) {
        Instant earliest = now.plus(minimum);
        return wanted.isBefore(earliest) ? earliest : wanted;
    }

    public static Instant lockUntil(Instant alreadySet, Instant wanted) {
        Objects.requireNonNull(wanted, "wanted");
        return alreadySet != null && alreadySet.isAfter(wanted) ? alreadySet : wanted;
    }

    private static void requireApplies(RetentionSubject subject, RetentionPolicy policy) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(policy, "policy");
        if (!policy.matcher().matches(subject)) {
            throw new IllegalArgumentException("policy '" + policy.id() + "' does not apply to this event");
        }
    }

    private static String describe(RetentionPolicy policy) {
        return "policy '" + policy.id() + "' v" + policy.version();
    }
}
