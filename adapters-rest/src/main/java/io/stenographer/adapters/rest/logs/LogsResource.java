package io.stenographer.adapters.rest.logs;

import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.problem.ProblemException;
import io.stenographer.adapters.rest.problem.ProblemType;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.ConsistencyProofQuery;
import io.stenographer.application.port.in.ExportLogCommand;
import io.stenographer.application.port.in.ExportLogUseCase;
import io.stenographer.application.port.in.InclusionProofQuery;
import io.stenographer.application.port.in.LogProofsUseCase;
import io.stenographer.application.port.in.LogProofsUseCase.LeafSelector;
import io.stenographer.application.port.in.VerificationRunQuery;
import io.stenographer.application.port.in.VerificationRunsQuery;
import io.stenographer.application.port.in.VerifyLogCommand;
import io.stenographer.application.port.in.VerifyLogUseCase;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.bundle.TlogProof;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The transparency surface of each tenant's log: checkpoints, verifier key and proofs. */
@Path("/api/v1/logs/{tenant}")
@Tag(name = "logs")
public class LogsResource {

    private static final String SIGNED_NOTE = "text/plain; charset=utf-8";
    private static final String NDJSON = "application/x-ndjson";
    /**
     * tlog-tiles: the checkpoint changes with every round, so it is cached for seconds at most. Only an answer to a
     * request without a token (so of a public checkpoint) may be kept by a shared cache.
     */
    static final String PUBLIC_CHECKPOINT_CACHING = "public, max-age=2";
    static final String PRIVATE_CHECKPOINT_CACHING = "private, max-age=2";

    private final LogProofsUseCase proofs;
    private final VerifyLogUseCase verifyLog;
    private final ExportLogUseCase export;
    private final CurrentCaller currentCaller;

    LogsResource(LogProofsUseCase proofs, VerifyLogUseCase verifyLog, ExportLogUseCase export,
            CurrentCaller currentCaller) {
        this.proofs = proofs;
        this.export = export;
        this.verifyLog = verifyLog;
        this.currentCaller = currentCaller;
    }

    @GET
    @Path("checkpoint")
    @PermitAll
    @Produces({SIGNED_NOTE, MediaType.APPLICATION_JSON})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Latest signed checkpoint",
            description = "text/plain: the C2SP tlog-checkpoint signed note, byte for byte. application/json: "
                    + "the same with its fields broken out. Any caller with a role on the tenant; anyone, without a "
                    + "token, once a compliance admin made the checkpoint public (PUT .../visibility).")
    public Response checkpoint(@PathParam("tenant") String tenant,
            @HeaderParam("Accept") String accept) {
        Optional<Caller> caller = currentCaller.ifAuthenticated();
        var checkpoint = proofs.latestCheckpoint(caller, new TenantId(tenant))
                .orElseThrow(() -> ProblemException.of(ProblemType.NOT_FOUND,
                        "log '" + tenant + "' has no checkpoint yet"));
        if (accept != null && accept.contains(MediaType.APPLICATION_JSON)) {
            return cached(Response.ok(CheckpointResponse.from(checkpoint), MediaType.APPLICATION_JSON), caller);
        }
        return cached(Response.ok(checkpoint.signedNote(), SIGNED_NOTE), caller);
    }

    /** Public only when it answers a request without a token; a cache keeps the note and the JSON apart. */
    private static Response cached(Response.ResponseBuilder answer, Optional<Caller> caller) {
        return answer.header("Cache-Control", caller.isPresent() ? PRIVATE_CHECKPOINT_CACHING
                : PUBLIC_CHECKPOINT_CACHING).header("Vary", "Accept, Authorization").build();
    }

    @GET
    @Path("verifier-key")
    @PermitAll
    @Produces(SIGNED_NOTE)
    @Operation(summary = "The checkpoint verifier key in C2SP signed-note format (public)")
    public String verifierKey(@PathParam("tenant") String tenant) {
        new TenantId(tenant);
        return proofs.verifierKey() + "\n";
    }

    @GET
    @Path("key-set")
    @PermitAll
    @Produces(SIGNED_NOTE)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Every key this log was signed with and the tree sizes each was valid for; "
            + "the offline verifier's --key accepts it. Readable like the checkpoint.")
    public Response keySet(@PathParam("tenant") String tenant) {
        Optional<Caller> caller = currentCaller.ifAuthenticated();
        return cached(Response.ok(proofs.keySet(caller, new TenantId(tenant)), SIGNED_NOTE), caller);
    }

    @GET
    @Path("proof/inclusion")
    @RolesAllowed({"auditor", "audit-writer"})
    @SecurityRequirement(name = "bearer")
    @Produces({MediaType.APPLICATION_JSON, SIGNED_NOTE})
    @Operation(summary = "Inclusion proof by leaf index or leaf hash",
            description = "Against the checkpoint of tree size 'size' (default: the latest). Give exactly one "
                    + "of index, leafHash (hex) or eventId. Auditors may use any; the tenant's writers, who check "
                    + "their receipts, by eventId only.")
    public Response inclusion(@PathParam("tenant") String tenant,
            @QueryParam("index") String index, @QueryParam("leafHash") String leafHash,
            @QueryParam("eventId") String eventId, @QueryParam("size") String size,
            @Parameter(
                    description = "json (default) or tlog-proof: a C2SP tlog-proof file for offline verification")
            @QueryParam("format") String format) {
        LeafSelector selector = new LeafSelector(RequestParameters.nonNegativeLong("index", index), parseHash(leafHash),
                eventId == null ? null : new EventId(RequestParameters.uuid("eventId", eventId)));
        var answer = proofs.proveInclusion(new InclusionProofQuery(currentCaller.get(), new TenantId(tenant), selector,
                RequestParameters.nonNegativeLong("size", size)));
        if (format == null || format.equals("json")) {
            return Response.ok(InclusionProofResponse.from(answer), MediaType.APPLICATION_JSON).build();
        }
        if (format.equals("tlog-proof")) {
            String file = TlogProof.of(answer.proof(), answer.checkpoint().signedNote()).serialize();
            return Response.ok(file, SIGNED_NOTE)
                    .header("Content-Disposition", "attachment; filename=\"" + tenant + "-" + answer.leaf().index()
                            + ".tlog-proof\"")
                    .build();
        }
        throw new FieldViolation("format", "must be json or tlog-proof");
    }

    @GET
    @Path("export")
    @RolesAllowed("auditor")
    @SecurityRequirement(name = "bearer")
    @Produces(NDJSON)
    @Operation(summary = "Stream a verifiable bundle of an index range",
            description = "stenographer.bundle/v1 NDJSON (docs/FORMATS.md): header with the signed checkpoint and "
                    + "verifier key, one entry per index with the sealed event, its leaf hash and inclusion proof, "
                    + "and an end line. Check it offline with the verifier's verify-bundle. 'to' is exclusive and "
                    + "defaults to the latest checkpoint's size. Recorded as an audit.export event.")
    public Response export(@PathParam("tenant") String tenant, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        ExportLogUseCase.ExportPlan plan = export.plan(new ExportLogCommand(currentCaller.get(), new TenantId(tenant),
                RequestParameters.nonNegativeLong("from", from), RequestParameters.nonNegativeLong("to", to)));
        StreamingOutput body = out -> export.write(plan, out);
        return Response.ok(body, NDJSON)
                .header("Content-Disposition", "attachment; filename=\"" + tenant + "-" + plan.from() + "-"
                        + plan.to() + ".ndjson\"")
                .build();
    }

    @GET
    @Path("proof/consistency")
    @RolesAllowed({"auditor", "audit-writer"})
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Consistency proof between two published tree sizes",
            description = "'to' defaults to the latest checkpoint. Auditors and the tenant's writers may ask.")
    public ConsistencyProofResponse consistency(@PathParam("tenant") String tenant,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        Long fromSize = RequestParameters.nonNegativeLong("from", from);
        if (fromSize == null) {
            throw new FieldViolation("from", "is required");
        }
        return ConsistencyProofResponse.from(proofs.proveConsistency(new ConsistencyProofQuery(currentCaller.get(),
                new TenantId(tenant), fromSize, RequestParameters.nonNegativeLong("to", to))));
    }

    @POST
    @Path("verifications")
    @RolesAllowed({"auditor", "compliance-admin"})
    @SecurityRequirement(name = "bearer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run a verification now",
            description = "Recomputes leaves from the stored events and the tree from the leaves, and checks the "
                    + "stored checkpoints and any supplied one. By default it continues from the newest checkpoint "
                    + "the previous sound run accepted: that one is checked again, the stored tree below it must "
                    + "fold to its signed root, supplied checkpoints below it are proved consistent with it, and only "
                    + "leaves, checkpoints and events above it are recomputed. With full, every leaf and every "
                    + "stored checkpoint is. The report is stored and recorded as an audit.verify event. Body is "
                    + "optional. One run per log at a time on an instance: while one runs, 429 "
                    + "verification-running with Retry-After.")
    public VerificationResponse verify(@PathParam("tenant") String tenant, byte[] body) {
        List<String> trusted = List.of();
        boolean full = false;
        // No body at all is "nothing to compare with"; anything sent must be a valid request.
        if (body != null && body.length > 0) {
            VerificationRequest request = StrictJson.readObject(body, 1 << 20, VerificationRequest.class);
            if (request.trustedCheckpoints() != null) {
                if (request.trustedCheckpoints().size() > 100) {
                    throw new FieldViolation("trustedCheckpoints", "at most 100 checkpoints");
                }
                trusted = request.trustedCheckpoints();
            }
            full = Boolean.TRUE.equals(request.full());
        }
        return VerificationResponse.from(verifyLog.verify(
                new VerifyLogCommand(currentCaller.get(), new TenantId(tenant), trusted, full)));
    }

    @GET
    @Path("verifications")
    @RolesAllowed({"auditor", "compliance-admin"})
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recent verification runs, newest first")
    public List<VerificationResponse> verifications(@PathParam("tenant") String tenant,
            @QueryParam("limit") String limit) {
        return verifyLog.recentRuns(new VerificationRunsQuery(currentCaller.get(), new TenantId(tenant),
                        RequestParameters.integer("limit", limit, 20, 1, 100)))
                .stream().map(VerificationResponse::from).toList();
    }

    @GET
    @Path("verifications/{id}")
    @RolesAllowed({"auditor", "compliance-admin"})
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One verification run")
    public VerificationResponse verification(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        UUID runId = RequestParameters.runId(id);
        return verifyLog.run(new VerificationRunQuery(currentCaller.get(), new TenantId(tenant), runId))
                .map(VerificationResponse::from)
                .orElseThrow(() -> ProblemException.of(ProblemType.NOT_FOUND, "no verification run " + id));
    }

    private static Hash parseHash(String hex) {
        if (hex == null) {
            return null;
        }
        try {
            return Hash.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new FieldViolation("leafHash", "must be 64 hex digits");
        }
    }
}
