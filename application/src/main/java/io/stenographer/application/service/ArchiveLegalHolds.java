package io.stenographer.application.service;

import io.stenographer.application.port.out.ArchiveSegmentsPort;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.PropagateLegalHoldsPort;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.RetentionSubject;
import java.util.List;
import java.util.Set;
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
    private final Consumer<String> warnings;

    public ArchiveLegalHolds(CatalogSegmentsPort catalog, ArchiveSegmentsPort archive, StoreLegalHoldsPort holds,
            Consumer<String> warnings) {
        this.catalog = catalog;
        this.archive = archive;
        this.holds = holds;
        this.warnings = warnings;
    }

    @Override
    public void placed(LegalHold hold) {
        Set<String> keys = catalog.liveSegmentsMatching(hold.tenant(), hold.criteria());
        try {
            for (String key : keys) {
                archive.setLegalHold(key, true);
            }
        } catch (ArchiveSegmentsPort.ArchiveUnavailable e) {
            warnings.accept("legal hold " + hold.id() + " is recorded, but the archive could not be reached to flag "
                    + keys.size() + " segment(s); the next archive run sets the flags: " + e.getMessage());
        }
    }

    @Override
    public void released(LegalHold hold) {
        List<LegalHold> stillActive = holds.active(hold.tenant()).stream()
                .filter(other -> !other.id().equals(hold.id()))
                .toList();
        try {
            for (String key : catalog.liveSegmentsMatching(hold.tenant(), hold.criteria())) {
                List<RetentionSubject> subjects = catalog.subjectsOf(key);
                boolean coveredElsewhere = stillActive.stream().anyMatch(other -> subjects.stream()
                        .anyMatch(other::covers));
                if (!coveredElsewhere) {
                    archive.setLegalHold(key, false);
                }
            }
        } catch (ArchiveSegmentsPort.ArchiveUnavailable e) {
            warnings.accept("legal hold " + hold.id() + " is released, but the archive could not be reached; its "
                    + "segments keep the legal-hold flag until it is cleared: " + e.getMessage());
        }
    }
}
