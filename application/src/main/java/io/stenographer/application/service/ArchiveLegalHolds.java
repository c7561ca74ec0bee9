package io.stenographer.application.service;

import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.PropagateLegalHoldsPort;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.retention.HoldPropagation;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.RetentionSubject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Mirrors legal holds onto the archive: placing a hold turns the store's legal-hold flag ON for every segment
 * that holds a covered event; releasing turns it OFF only where no other active hold still covers one of the
 * segment's events. The database's hold is what purge and deletion obey; the store's flag is the second,
 * independent lock. If the store cannot be reached, the hold is still recorded (it must never be refused
 * for an outage) and the next archive run sets the missing flags; a flag left ON after an unreachable
 * release keeps the copy, which is the safe side, and the purge run reports it.
 */
public final class ArchiveLegalHolds implements PropagateLegalHoldsPort {

    private final CatalogSegmentsPort catalog;
    private final ArchiveSegmentsPort archive;
    private final StoreLegalHoldsPort holds;
    private final TransactionRunner transactions;
    private final Consumer<String> warnings;

    public ArchiveLegalHolds(CatalogSegmentsPort catalog, ArchiveSegmentsPort archive, StoreLegalHoldsPort holds,
            TransactionRunner transactions, Consumer<String> warnings) {
        this.transactions = transactions;
        this.catalog = catalog;
        this.archive = archive;
        this.holds = holds;
        this.warnings = warnings;
    }

    @Override
    public HoldPropagation placed(LegalHold hold) {
        List<String> keys = List.copyOf(transactions.inTransaction(
                () -> catalog.liveSegmentsMatching(hold.tenant(), hold.criteria())));
        return flag(hold, keys, true, "the next archive run sets the missing flags");
    }

    @Override
    public HoldPropagation released(LegalHold hold) {
        List<String> toClear = transactions.inTransaction(() -> {
            List<LegalHold> stillActive = holds.active(hold.tenant()).stream()
                    .filter(other -> !other.id().equals(hold.id()))
                    .toList();
            List<String> keys = new ArrayList<>();
            for (String key : catalog.liveSegmentsMatching(hold.tenant(), hold.criteria())) {
                List<RetentionSubject> subjects = catalog.subjectsOf(key);
                if (stillActive.stream().noneMatch(other -> subjects.stream().anyMatch(other::covers))) {
                    keys.add(key);
                }
            }
            return keys;
        });
        // A flag left on keeps the copy: the safe side; the purge run reports such segments.
        return flag(hold, toClear, false, "those segments keep the legal-hold flag until it is cleared");
    }

    /** One store call per segment, each on its own: one missing object does not stop the others. */
    private HoldPropagation flag(LegalHold hold, List<String> keys, boolean on, String consequence) {
        List<String> problems = new ArrayList<>();
        int applied = 0;
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            try {
                archive.setLegalHold(key, on);
                applied++;
            } catch (ArchiveSegmentsPort.ArchiveObjectNotFound e) {
                problems.add("segment " + key + ": its object is missing from the archive store");
            } catch (ArchiveSegmentsPort.ArchiveUnavailable e) {
                problems.add("the archive store could not be reached for " + (keys.size() - i) + " segment(s); "
                        + consequence);
                break;
            }
        }
        if (!problems.isEmpty()) {
            warnings.accept("legal hold " + hold.id() + (on ? " is in force" : " is released") + ", but "
                    + String.join("; ", problems));
        }
        return new HoldPropagation(keys.size(), applied, problems);
    }
}
