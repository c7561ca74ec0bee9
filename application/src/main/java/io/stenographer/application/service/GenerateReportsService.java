package io.stenographer.application.service;

import io.stenographer.application.port.in.GenerateReportsUseCase;
import io.stenographer.application.port.out.DeriveReportSecretPort;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.RenderReportPort;
import io.stenographer.application.port.out.SignReportManifestPort;
import io.stenographer.application.port.out.SpoolReportEventsPort;
import io.stenographer.application.port.out.StoreReportFilesPort;
import io.stenographer.application.port.out.TrackReportJobsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.PersonalValueState;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.LogLeaf;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.InclusionProof;
import io.stenographer.domain.report.CsvReportWriter;
import io.stenographer.domain.report.JsonReportWriter;
import io.stenographer.domain.report.Redactor;
import io.stenographer.domain.report.ReportClaim;
import io.stenographer.domain.report.ReportDefinition;
import io.stenographer.domain.report.ReportDocument;
import io.stenographer.domain.report.ReportEntry;
import io.stenographer.domain.report.ReportEvents;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportHeader;
import io.stenographer.domain.report.ReportJob;
import io.stenographer.domain.report.ReportType;
import io.stenographer.domain.report.bundle.ReportBundleWriter;
import io.stenographer.domain.report.bundle.ReportManifest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Generates queued reports. A report finds, through the time indexes, the leaves below its pinned tree size whose
 * events occurred in its period, then reads those leaves once, in index order, in chunks of {@value #CHUNK}, each
 * chunk in its own short read transaction (log rows never change, so the chunks add up to one consistent picture;
 * memory stays bounded and no transaction timeout caps the log size):
 * <ol>
 *   <li>pass 1 feeds the report's rules, counts the event table and spools every event the report considers;</li>
 *   <li>pass 2 streams the event table from the spool into the file (with inclusion proofs for bundles, read from
 *       the stored tree), after the header, summary and findings, so every format can be written front to back.</li>
 * </ol>
 * Only the status records and the {@value #REPORT_GENERATED} event share a transaction.
 *
 * <p>Each report is generated under a claim (attempt n by one instance). A claim whose heartbeat is older than
 * {@link Claiming#takeoverAfter()} is taken over by attempt n + 1, which generates the report again from scratch; the
 * bytes are a function of the job and the pinned log, so every attempt writes the same file (and the file store keeps
 * the first of identical files). Only the latest claim may record the result, and an attempt that learns it lost its
 * claim stops at the next chunk.
 */
public final class GenerateReportsService implements GenerateReportsUseCase {

    /** Full tiles one report keeps: the upper levels every proof of the run shares (8 KiB each). */
    private static final int RUN_TILES = 256;

    static final String REPORT_GENERATED = "report.generated";
    static final int CHUNK = 1_000;

    private final TrackReportJobsPort jobs;
    private final LoadLogPort log;
    private final ArchivedEventReader archived;
    private final SelfAudit selfAudit;
    private final StoreReportFilesPort files;
    private final SpoolReportEventsPort spools;
    private final RenderReportPort renderer;
    private final TenantKeySets keySets;
    private final SignReportManifestPort manifestSigner;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final DeriveReportSecretPort secrets;
    private final long maxEvents;
    /** How many events of its period a report may read for each one it may select. */
    static final long PERIOD_EVENTS_PER_SELECTED = 10;
    private final long pdfMaxRows;
    private final Claiming claiming;
    private final PersonalDataVault vault;
    /** Reports this instance is generating: never claimed again here while they run, whatever their heartbeat. */
    private final Set<UUID> generating = ConcurrentHashMap.newKeySet();

    public GenerateReportsService(TrackReportJobsPort jobs, LoadLogPort log, ArchivedEventReader archived,
            SelfAudit selfAudit, StoreReportFilesPort files, SpoolReportEventsPort spools, RenderReportPort renderer,
            TenantKeySets keySets,
            SignReportManifestPort manifestSigner, TransactionRunner transactions, Clock clock,
            DeriveReportSecretPort secrets, long maxEvents, long pdfMaxRows, Claiming claiming,
            PersonalDataVault vault) {
        this.jobs = jobs;
        this.log = log;
        this.archived = archived;
        this.selfAudit = selfAudit;
        this.files = files;
        this.spools = spools;
        this.renderer = renderer;
        this.keySets = keySets;
        this.manifestSigner = manifestSigner;
        this.transactions = transactions;
        this.clock = clock;
        this.secrets = secrets;
        this.maxEvents = maxEvents;
        this.pdfMaxRows = pdfMaxRows;
        this.claiming = claiming;
        this.vault = vault;
    }

    /**
     * How this instance claims reports.
     *
     * @param instance            this instance's id, unique among running instances
     * @param takeoverAfter       a claim whose heartbeat is older than this is taken over by another attempt
     * @param maxAttempts         a report interrupted this many times is failed instead of claimed again
     * @param maxRunningPerTenant live claims per tenant, across all instances
     */
    public record Claiming(String instance, Duration takeoverAfter, int maxAttempts, int maxRunningPerTenant) {

        public Claiming {
            if (instance == null || instance.isBlank()) {
                throw new IllegalArgumentException("an instance id is required");
            }
            if (takeoverAfter == null || takeoverAfter.isNegative() || takeoverAfter.isZero()) {
                throw new IllegalArgumentException("takeover-after must be positive");
            }
            if (maxAttempts < 1 || maxRunningPerTenant < 1) {
                throw new IllegalArgumentException("max-attempts and max-running-per-tenant must be at least 1");
            }
        }
    }

    @Override
    public String instance() {
        return claiming.instance();
    }

    @Override
    public Optional<ReportClaim> claimNext() {
        Instant now = clock.instant();
        Set<UUID> busy = Set.copyOf(generating);
        Optional<ReportClaim> claimed = transactions.inTransaction(() -> {
            jobs.lockClaims();
            return jobs.claimNext(claiming.instance(), now, now.minus(claiming.takeoverAfter()),
                    claiming.maxRunningPerTenant(), claiming.maxAttempts(), busy);
        });
        claimed.ifPresent(claim -> generating.add(claim.job().id()));
        return claimed;
    }

    @Override
    public boolean heartbeat(ReportClaim claim) {
        return transactions.inTransaction(() -> jobs.heartbeat(claim, clock.instant()));
    }

    @Override
    public int failAbandoned() {
        Instant now = clock.instant();
        return transactions.inTransaction(() -> {
            jobs.lockClaims();
            int failed = 0;
            // Twice the takeover silence: a last attempt whose beats were held up (a database blip) is not failed
            // while it still runs, and never one this instance is generating.
            for (ReportClaim claim : jobs.abandoned(now.minus(claiming.takeoverAfter().multipliedBy(2)),
                    claiming.maxAttempts())) {
                if (generating.contains(claim.job().id())) {
                    continue;
                }
                if (jobs.markFailed(claim, now, "interrupted " + claim.attempt() + " times: the instance generating"
                        + " it stopped each time before it finished; request the report again, perhaps for a shorter"
                        + " period")) {
                    failed++;
                }
            }
            return failed;
        });
    }

    @Override
    public Outcome generate(ReportClaim claim, BooleanSupplier stillClaimed) {
        try {
            return generate(claim, claim.job(), stillClaimed);
        } finally {
            generating.remove(claim.job().id());
        }
    }

    private Outcome generate(ReportClaim claim, ReportJob job, BooleanSupplier stillClaimed) {
        try {
            Generated generated = run(job, stillClaimed);
            boolean recorded = transactions.inTransaction(() -> {
                boolean marked = jobs.markSucceeded(claim, clock.instant(), generated.events(),
                        generated.stored().bytes(), generated.stored().sha256());
                if (marked) {
                    selfAudit.record(requester(job), job.tenant(), REPORT_GENERATED,
                            new JsonObject(Map.of("reportId", new JsonString(job.id().toString()),
                                    "format", new JsonString(job.format().wireName()),
                                    "treeSize", new JsonNumber(job.treeSize()),
                                    "events", new JsonNumber(generated.events()),
                                    "sha256", new JsonString(generated.stored().sha256().hex()))));
                }
                return marked;
            });
            return recorded ? new Outcome(job.id(), claim.attempt(), generated.events(), null, null, false)
                    : lost(claim, generated.events());
        } catch (ClaimLost e) {
            return lost(claim, 0);
        } catch (IllegalArgumentException | LogIntegrityViolation | ReportTooLarge
                | PersonalDataVault.ReportKeyErased e) {
            return fail(claim, e.getMessage())
                    ? new Outcome(job.id(), claim.attempt(), 0, e.getMessage(),
                            e instanceof LogIntegrityViolation ? e : null, false)
                    : lost(claim, 0);
        } catch (IOException | RuntimeException e) {
            if (stopping(e)) {
                // Interrupted I/O while the instance stops: left to be taken over, not failed.
                return lost(claim, 0);
            }
            String incident = UUID.randomUUID().toString();
            String message = "internal error while generating the report, incident " + incident;
            return fail(claim, message) ? new Outcome(job.id(), claim.attempt(), 0, message, e, false)
                    : lost(claim, 0);
        }
    }

    /** Whether the failure is this worker being stopped (an interrupt surfaces as interrupted or closed I/O). */
    private static boolean stopping(Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.nio.channels.ClosedByInterruptException
                    || cause instanceof java.io.InterruptedIOException || cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private static Outcome lost(ReportClaim claim, long events) {
        return new Outcome(claim.job().id(), claim.attempt(), events, "attempt " + claim.attempt() + " stopped"
                + " without recording anything: its claim was lost (another instance took the report over, or it"
                + " finished) or this instance is stopping", null, true);
    }

    private boolean fail(ReportClaim claim, String message) {
        return transactions.inTransaction(() -> jobs.markFailed(claim, clock.instant(), message));
    }

    /** Thrown at the next chunk once the worker learns its claim was lost (or that it must stop). */
    private static final class ClaimLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClaimLost() {
            super(null, null, false, false);
        }
    }

    private static void checkClaim(BooleanSupplier stillClaimed) {
        if (!stillClaimed.getAsBoolean()) {
            throw new ClaimLost();
        }
    }

    private static Caller requester(ReportJob job) {
        return new Caller(job.requestedBy(), Set.of());
    }

    private record Generated(long events, StoreReportFilesPort.Stored stored) {
    }

    /** The selection holds more events than a report may. */
    static final class ReportTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReportTooLarge(String message) {
            super(message);
        }
    }

    private Generated run(ReportJob job, BooleanSupplier stillClaimed) throws IOException {
        try (SpoolReportEventsPort.Spool spool = spools.create(job.tenant(), job.id())) {
            return run(job, spool, stillClaimed);
        }
    }

    private Generated run(ReportJob job, SpoolReportEventsPort.Spool spool, BooleanSupplier stillClaimed)
            throws IOException {
        PublishedCheckpoint checkpoint = transactions.inTransaction(() -> log.checkpointAt(job.tenant(),
                job.treeSize())).orElseThrow(() -> new LogIntegrityViolation("the checkpoint at tree size "
                        + job.treeSize() + " of " + job.tenant() + " that the report is pinned to is missing"));
        ReportDefinition definition = ReportDefinition.of(job.type(), job.parameters());
        long unavailable = 0;
        ArchivedEventReader.IndexCursor fromArchive = archived.cursor(job.tenant());
        // Every report has a period on occurredAt, and nothing outside it can count: only its events are read.
        // At most ten times the event limit is read: the indices are held in memory and every event of the period is
        // read and spooled before the filters have chosen; a period beyond that fails before any of it.
        int periodLimit = (int) Math.min(Integer.MAX_VALUE - 1L, maxEvents * PERIOD_EVENTS_PER_SELECTED);
        long[] inPeriod = transactions.inTransaction(() -> log.leafIndicesOccurredIn(job.tenant(),
                job.parameters().from(), job.parameters().to(), job.treeSize(), periodLimit + 1));
        if (inPeriod.length > periodLimit) {
            throw new ReportTooLarge("the report's period holds more than " + periodLimit + " events (ten times the"
                    + " limit of " + maxEvents + " a report may select); narrow the period");
        }
        for (int start = 0; start < inPeriod.length; start += CHUNK) {
            checkClaim(stillClaimed);
            for (LoadLogPort.LeafWithEvent row : chunk(job, inPeriod, start, fromArchive)) {
                if (row.event() == null) {
                    unavailable++;
                } else if (definition.consider(row.event())) {
                    spool.append(row.leaf(), row.event());
                }
            }
        }
        definition.finish();
        spool.finishWriting();
        long selected = definition.selectedCount();
        if (selected > maxEvents) {
            throw new ReportTooLarge("the report selects " + selected + " events, more than the limit of "
                    + maxEvents + "; narrow the period or the filters");
        }
        Redactor redactor = job.type() == ReportType.FOIA_EXPORT ? redactor(job) : null;
        JsonObject query = job.parameters().toJson(job.type());
        ReportHeader header = new ReportHeader(job.id().toString(), job.tenant(), job.type(), job.format(),
                redactor == null ? query : redactor.publishedQuery(query), definition.ruleVersions(),
                job.requestedBy(), job.requestedAt(), checkpoint, signedBy(job.tenant(), checkpoint.treeSize()), selected, unavailable);
        ReportDocument document = new ReportDocument(header, definition.summary(), definition.results());
        long[] written = {0};
        ReportEvents events = sink -> {
            written[0] = 0;
            eventTable(job, spool, definition, redactor, stillClaimed,
                    job.format() == ReportFormat.BUNDLE || job.format() == ReportFormat.PDF, entry -> {
                written[0]++;
                sink.accept(entry);
            });
        };
        checkClaim(stillClaimed);
        // A file with personal values is stored encrypted under the report's own key, which erasing any subject whose
        // values it holds destroys (docs/PRIVACY.md, "Reports with personal data").
        Optional<DataKey> fileKey = job.parameters().personalData()
                ? Optional.of(vault.reportKey(job.tenant(), job.id())) : Optional.empty();
        // An attempt that lost its claim may have stored the file already; the store keeps the first of identical files.
        StoreReportFilesPort.Stored stored = files.write(job.tenant(), job.id(), job.format(), fileKey, out -> {
            switch (job.format()) {
                case JSON -> JsonReportWriter.write(document, events, out);
                case CSV -> CsvReportWriter.write(events, out);
                case PDF -> renderer.renderPdf(document, firstRows(events, pdfMaxRows),
                        bundle -> ReportBundleWriter.write(document, events,
                                body -> manifestSigner.signManifest(ReportManifest.parse(body)), bundle), out);
                case BUNDLE -> ReportBundleWriter.write(document, events,
                        body -> manifestSigner.signManifest(ReportManifest.parse(body)), out);
            }
            if (written[0] != selected && job.format() != ReportFormat.PDF) {
                throw new LogIntegrityViolation("the event table of report " + job.id() + " has " + written[0]
                        + " events, pass 1 counted " + selected + "; the log changed under the report");
            }
        });
        return new Generated(selected, stored);
    }

    /**
     * The PDF is for people: its event table holds at most {@code max} rows (it says how many of how
     * many), and reading stops there instead of scanning the rest of the log.
     */
    private static ReportEvents firstRows(ReportEvents events, long max) {
        return sink -> {
            long[] count = {0};
            try {
                events.forEach(entry -> {
                    if (count[0] >= max) {
                        throw new Enough();
                    }
                    count[0]++;
                    sink.accept(entry);
                });
            } catch (Enough enough) {
                // the PDF has all the rows it shows
            }
        };
    }

    private static final class Enough extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Enough() {
            super(null, null, false, false);
        }
    }

    private Redactor redactor(ReportJob job) {
        byte[] secret = secrets.pseudonymSecret(job.tenant(), job.id());
        return new Redactor(job.parameters().redactFields(), job.parameters().pseudonymiseActors(), secret);
    }

    /**
     * Events purged from the hot store are read back from their archive segment (checked against the tree);
     * an event whose archive copy was deleted at the end of its retention stays absent and is counted as
     * unavailable in the report header.
     */
    private static List<LoadLogPort.LeafWithEvent> withArchived(List<LoadLogPort.LeafWithEvent> rows,
            ArchivedEventReader.IndexCursor fromArchive) {
        List<LoadLogPort.LeafWithEvent> complete = new ArrayList<>(rows.size());
        for (LoadLogPort.LeafWithEvent row : rows) {
            if (row.purged()) {
                AuditEvent event = fromArchive.event(row.leaf().index()).orElse(null);
                complete.add(new LoadLogPort.LeafWithEvent(row.leaf(), event, null, row.archivedLeafHash()));
            } else {
                complete.add(row);
            }
        }
        return complete;
    }

    /** The leaves at {@code indices[start .. start + CHUNK)}, with their events, in one short read transaction. */
    private List<LoadLogPort.LeafWithEvent> chunk(ReportJob job, long[] indices, int start,
            ArchivedEventReader.IndexCursor fromArchive) {
        long[] wanted = Arrays.copyOfRange(indices, start, Math.min(indices.length, start + CHUNK));
        return transactions.inTransaction(() -> {
            List<LoadLogPort.LeafWithEvent> rows = withArchived(log.leavesWithEventsAt(job.tenant(), wanted),
                    fromArchive);
            if (rows.size() != wanted.length) {
                throw new LogIntegrityViolation(wanted.length - rows.size() + " of the leaves from index " + wanted[0]
                        + " of " + job.tenant() + " are missing; run a verification");
            }
            for (LoadLogPort.LeafWithEvent row : rows) {
                if (row.unreadable() != null) {
                    throw new LogIntegrityViolation("the event at index " + row.leaf().index()
                            + " is unreadable; run a verification");
                }
            }
            return rows;
        });
    }

    /**
     * Pass 2: the selected events, published (redacted for FOIA), with proofs for bundles, from the spool. Proofs are
     * computed {@value #CHUNK} events at a time, so the subtree hashes they share are read in one round trip.
     */
    private void eventTable(ReportJob job, SpoolReportEventsPort.Spool spool, ReportDefinition definition,
            Redactor redactor, BooleanSupplier stillClaimed, boolean bundle, ReportEvents.Sink sink)
            throws IOException {
        boolean redacting = redactor != null && redactor.redactsAnything();
        boolean proofs = bundle && !redacting;
        StoredTree tree = new StoredTree(log, job.tenant(), job.treeSize(), new LogCache(RUN_TILES));
        List<LogLeaf> leaves = new ArrayList<>(CHUNK);
        List<AuditEvent> events = new ArrayList<>(CHUNK);
        spool.forEach((leaf, event) -> {
            if (!definition.selects(event)) {
                return;
            }
            leaves.add(leaf);
            events.add(event);
            if (leaves.size() == CHUNK) {
                checkClaim(stillClaimed);
                publish(job, tree, proofs, redactor, redacting, leaves, events, sink);
            }
        });
        publish(job, tree, proofs, redactor, redacting, leaves, events, sink);
    }

    private void publish(ReportJob job, StoredTree tree, boolean proofs, Redactor redactor, boolean redacting,
            List<LogLeaf> leaves, List<AuditEvent> events, ReportEvents.Sink sink) throws IOException {
        if (leaves.isEmpty()) {
            return;
        }
        List<InclusionProof> computed = proofs ? transactions.inTransaction(() -> tree.compute(source -> {
            List<InclusionProof> list = new ArrayList<>(leaves.size());
            for (LogLeaf leaf : leaves) {
                list.add(InclusionProof.compute(leaf.index(), job.treeSize(), source));
            }
            return list;
        })) : null;
        // Only a report that asked for personal data (and whose requester holds the role) decrypts anything.
        Map<EventId, Map<PersonalField, PersonalValueState>> personal = job.parameters().personalData()
                ? transactions.inTransaction(() -> vault.revealForReport(job.id(), events)) : Map.of();
        for (int i = 0; i < leaves.size(); i++) {
            AuditEvent event = events.get(i);
            Redactor.Redacted published = redactor == null
                    ? new Redactor.Redacted(SealedEventFormat.toJson(event), List.of())
                    : redactor.redact(event);
            ReportEntry entry = ReportEntry.publish(leaves.get(i).index(), leaves.get(i).leafHash(), published,
                    redacting, computed == null ? null : computed.get(i));
            Map<PersonalField, PersonalValueState> fields = personal.get(event.id());
            sink.accept(fields == null ? entry : entry.withPersonalData(fields));
        }
        leaves.clear();
        events.clear();
    }

    /** The verifier key the report names: the one whose era covers its checkpoint, not necessarily today's. */
    private String signedBy(TenantId tenant, long treeSize) {
        return transactions.inTransaction(() -> keySets.of(tenant)).keyAt(treeSize).toVerifierKey();
    }
}
