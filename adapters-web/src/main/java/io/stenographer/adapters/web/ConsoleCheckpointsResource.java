package io.stenographer.adapters.web;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.stenographer.application.port.in.CheckpointHistoryQuery;
import io.stenographer.application.port.in.CheckpointHistoryUseCase;
import io.stenographer.application.port.in.CheckpointHistoryUseCase.CheckpointPage;
import io.stenographer.application.port.in.ConsistencyProofQuery;
import io.stenographer.application.port.in.ConsoleViewCommand;
import io.stenographer.application.port.in.LogProofsUseCase;
import io.stenographer.application.port.in.LogProofsUseCase.ConsistencyAnswer;
import io.stenographer.application.port.in.RecordConsoleViewUseCase;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant's signed checkpoints: the latest, its history a page at a time, and a consistency proof between any
 * two of them that the browser checks itself (assets/checkpoints.js over tlog.js) against the pinned key.
 */
@Path("/console")
@Authenticated
public class ConsoleCheckpointsResource {

    static class Templates {
        static TemplateInstance checkpoints(ConsolePage.Chrome chrome, CheckpointRow latest,
                List<CheckpointRow> history, String newerPage, String olderPage, ConsistencyForm form,
                ConsistencyView consistency, String consistencyError) {
            return ConsoleTemplates.of("ConsoleCheckpointsResource/checkpoints")
                    .data("chrome", chrome)
                    .data("latest", latest)
                    .data("history", history)
                    .data("newerPage", newerPage)
                    .data("olderPage", olderPage)
                    .data("form", form)
                    .data("consistency", consistency)
                    .data("consistencyError", consistencyError);
        }
    }

    /** One checkpoint as a row: tree size, root (base64, as in the signed note), when it was signed. */
    public record CheckpointRow(long treeSize, String rootHash, String publishedAt, String origin, String signedNote) {

        static CheckpointRow of(PublishedCheckpoint checkpoint) {
            return new CheckpointRow(checkpoint.treeSize(), checkpoint.checkpoint().rootHash().base64(),
                    Timestamps.format(checkpoint.publishedAt()), checkpoint.checkpoint().origin(),
                    checkpoint.signedNote());
        }
    }

    /** The consistency form as submitted; {@code to} blank means the latest checkpoint. */
    public record ConsistencyForm(String from, String to) {
    }

    /** What the page embeds for the browser to check: both signed checkpoints and the proof between them. */
    public record ConsistencyView(String tenant, long fromSize, long toSize, String fromCheckpoint,
            String toCheckpoint, List<String> proof, String verifierKey) {

        static ConsistencyView of(TenantId tenant, ConsistencyAnswer answer, String verifierKey) {
            return new ConsistencyView(tenant.value(), answer.from().treeSize(), answer.to().treeSize(),
                    answer.from().signedNote(), answer.to().signedNote(),
                    answer.proof().path().stream().map(Hash::base64).toList(), verifierKey);
        }

        /**
         * The data block checkpoints.js reads. Sizes go as strings (a size may pass 2^53); {@code <} is escaped so
         * that no value can close the script element.
         */
        public String json() {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            members.put("tenant", new JsonString(tenant));
            members.put("fromSize", new JsonString(Long.toString(fromSize)));
            members.put("toSize", new JsonString(Long.toString(toSize)));
            members.put("fromCheckpoint", new JsonString(fromCheckpoint));
            members.put("toCheckpoint", new JsonString(toCheckpoint));
            members.put("proof", new JsonArray(proof.stream().<JsonValue>map(JsonString::new).toList()));
            members.put("verifierKey", new JsonString(verifierKey));
            return CanonicalJson.canonicalize(new JsonObject(members)).replace("<", "\\u003c");
        }
    }

    private final ConsolePage page;
    private final ConsoleSession session;
    private final CheckpointHistoryUseCase history;
    private final LogProofsUseCase logProofs;
    private final RecordConsoleViewUseCase views;

    ConsoleCheckpointsResource(ConsolePage page, ConsoleSession session, CheckpointHistoryUseCase history,
            LogProofsUseCase logProofs, RecordConsoleViewUseCase views) {
        this.page = page;
        this.session = session;
        this.history = history;
        this.logProofs = logProofs;
        this.views = views;
    }

    @GET
    @Path("checkpoints")
    public Response checkpoints(@QueryParam("tenant") String tenant, @QueryParam("before") String before,
            @QueryParam("limit") String limit, @QueryParam("from") String from, @QueryParam("to") String to) {
        return page.run(() -> {
            ConsistencyForm form = new ConsistencyForm(blank(from), blank(to));
            Optional<TenantId> chosen = session.tenant(tenant);
            if (chosen.isEmpty()) {
                return page.render(Templates.checkpoints(page.chrome("checkpoints", null), null, List.of(), null,
                        null, form, null, null));
            }
            TenantId tenantId = chosen.get();
            ConsolePage.Chrome chrome = page.chrome("checkpoints", tenantId);
            Caller caller = session.caller();
            Long beforeSize = RequestParameters.nonNegativeLong("before", blank(before));
            int pageLimit = RequestParameters.integer("limit", blank(limit), CheckpointHistoryQuery.DEFAULT_LIMIT, 1,
                    CheckpointHistoryQuery.MAX_LIMIT);
            // The history first: it is what refuses a caller who may not read this tenant's proofs.
            CheckpointPage older = history.history(new CheckpointHistoryQuery(caller, tenantId, beforeSize,
                    pageLimit));
            Optional<PublishedCheckpoint> latest = logProofs.latestCheckpoint(Optional.of(caller), tenantId);
            ConsistencyView consistency = null;
            String consistencyError = null;
            if (form.from() != null || form.to() != null) {
                try {
                    long fromSize = Optional.ofNullable(RequestParameters.nonNegativeLong("from", form.from()))
                            .orElseThrow(() -> new FieldViolation("from", "is required"));
                    Long toSize = RequestParameters.nonNegativeLong("to", form.to());
                    consistency = ConsistencyView.of(tenantId, logProofs.proveConsistency(
                            new ConsistencyProofQuery(caller, tenantId, fromSize, toSize)), logProofs.verifierKey());
                } catch (FieldViolation e) {
                    consistencyError = e.field() + " " + e.detail();
                }
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("paged", beforeSize == null ? "first" : "before " + beforeSize);
            details.put("results", Integer.toString(older.checkpoints().size()));
            if (consistency != null) {
                details.put("consistencyFrom", Long.toString(consistency.fromSize()));
                details.put("consistencyTo", Long.toString(consistency.toSize()));
            }
            views.record(new ConsoleViewCommand(caller, tenantId, "checkpoints", details));
            String base = "/console/checkpoints?tenant=" + URLEncoder.encode(tenantId.value(), StandardCharsets.UTF_8)
                    + (blank(limit) == null ? "" : "&limit=" + pageLimit);
            String newer = beforeSize == null ? null : base;
            String olderPage = older.nextBefore() == null ? null : base + "&before=" + older.nextBefore();
            return page.render(consistencyError == null ? 200 : 400, Templates.checkpoints(chrome,
                    latest.map(CheckpointRow::of).orElse(null),
                    older.checkpoints().stream().map(CheckpointRow::of).toList(), newer, olderPage, form,
                    consistency, consistencyError));
        });
    }

    private static String blank(String value) {
        return ConsoleEventsResource.blankToNull(value);
    }
}
