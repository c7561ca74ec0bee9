package io.stenographer.adapters.rest.streams;

import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.ChangeSinkCommand;
import io.stenographer.application.port.in.CreateSinkCommand;
import io.stenographer.application.port.in.ManageSinksUseCase;
import io.stenographer.application.port.in.ReplaySinkCommand;
import io.stenographer.application.port.in.RotateSinkSecretsCommand;
import io.stenographer.application.port.in.SinkQuery;
import io.stenographer.application.port.in.SinkStatus;
import io.stenographer.application.port.in.SinksQuery;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.SinkTransport;
import io.stenographer.domain.sink.WebhookSecret;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Stream sinks: where a tenant's log is delivered (Kafka, Standard Webhooks, syslog over TLS), with their delivery
 * status. Compliance-admins change them, auditors read them. Sinks of tenants the token does not grant answer 404.
 */
@Path("/api/v1/sinks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "streams")
@SecurityRequirement(name = "bearer")
public class SinksResource {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ManageSinksUseCase sinks;
    private final CurrentCaller currentCaller;

    SinksResource(ManageSinksUseCase sinks, CurrentCaller currentCaller) {
        this.sinks = sinks;
        this.currentCaller = currentCaller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Create a sink", description = "Recorded as a stream.sink.created event carrying secret "
            + "fingerprints only. Delivery starts at startIndex (default: the end of the published log).")
    @RequestBody(content = @Content(schema = @Schema(implementation = SinkRequest.class)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = SinkResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid sink", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(implementation = ProblemResponse.class)))
    @APIResponse(responseCode = "409", description = "Name taken, too many sinks, or start index past retention")
    public Response create(byte[] body) {
        SinkRequest request = StrictJson.readObject(body, MAX_BODY_BYTES, SinkRequest.class);
        SinkStatus created = sinks.create(new CreateSinkCommand(currentCaller.get(),
                RequestParameters.requiredTenant(request.tenant()), request.name(), target(request),
                request.format() == null ? SinkFormat.NATIVE : SinkFormat.parse(request.format()),
                settings(request.settings()), secrets(request.secrets()), request.startIndex()));
        return Response.created(URI.create("/api/v1/sinks/" + created.sink().id()))
                .entity(SinkResponse.from(created)).build();
    }

    @GET
    @RolesAllowed({"auditor", "compliance-admin"})
    @Operation(summary = "A tenant's sinks with their delivery status, oldest first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SinkResponse.class,
            type = SchemaType.ARRAY)))
    public List<SinkResponse> list(@Parameter(required = true) @QueryParam("tenant") String tenant) {
        return sinks.list(new SinksQuery(currentCaller.get(), RequestParameters.requiredTenant(tenant))).stream()
                .map(SinkResponse::from).toList();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"auditor", "compliance-admin"})
    @Operation(summary = "One sink with its delivery status: cursor, lag, counts, last error")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SinkResponse.class)))
    @APIResponse(responseCode = "404", description = "No such sink visible to the caller")
    public SinkResponse get(@PathParam("id") String id) {
        return SinkResponse.from(sinks.get(new SinkQuery(currentCaller.get(), SinkId.parse(id))));
    }

    @POST
    @Path("{id}/pause")
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Pause delivery (the cursor is kept)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SinkResponse.class)))
    public SinkResponse pause(@PathParam("id") String id) {
        return SinkResponse.from(sinks.pause(new ChangeSinkCommand(currentCaller.get(), SinkId.parse(id))));
    }

    @POST
    @Path("{id}/resume")
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Resume delivery from the cursor (after a pause, or a dead or disabled state)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SinkResponse.class)))
    public SinkResponse resume(@PathParam("id") String id) {
        return SinkResponse.from(sinks.resume(new ChangeSinkCommand(currentCaller.get(), SinkId.parse(id))));
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Deliver again from an index still in retention",
            description = "Archived events are read back from their checked segments. Recorded as stream.sink.replayed.")
    @RequestBody(content = @Content(schema = @Schema(implementation = SinkReplayRequest.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SinkResponse.class)))
    @APIResponse(responseCode = "409", description = "The index is past retention")
    public SinkResponse replay(@PathParam("id") String id, byte[] body) {
        SinkReplayRequest request = StrictJson.readObject(body, MAX_BODY_BYTES, SinkReplayRequest.class);
        if (request.fromIndex() == null) {
            throw new FieldViolation("fromIndex", "is required");
        }
        return SinkResponse.from(sinks.replay(new ReplaySinkCommand(currentCaller.get(), SinkId.parse(id),
                request.fromIndex())));
    }

    @PUT
    @Path("{id}/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Replace a webhook's signing secrets (rotation)",
            description = "Recorded as stream.sink.secrets-rotated with the old and new fingerprints.")
    @RequestBody(content = @Content(schema = @Schema(implementation = SinkSecretsRequest.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SinkResponse.class)))
    public SinkResponse rotateSecrets(@PathParam("id") String id, byte[] body) {
        SinkSecretsRequest request = StrictJson.readObject(body, MAX_BODY_BYTES, SinkSecretsRequest.class);
        return SinkResponse.from(sinks.rotateSecrets(new RotateSinkSecretsCommand(currentCaller.get(),
                SinkId.parse(id), secrets(request.secrets()))));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Delete a sink", description = "Delivery stops and the secrets are wiped; the record stays. "
            + "Recorded as stream.sink.deleted.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") String id) {
        sinks.delete(new ChangeSinkCommand(currentCaller.get(), SinkId.parse(id)));
        return Response.noContent().build();
    }

    private static SinkTarget target(SinkRequest request) {
        SinkTransport transport = SinkTransport.parse(request.transport());
        SinkRequest.Target target = request.target();
        if (target == null) {
            throw new FieldViolation("target", "is required");
        }
        if (transport != SinkTransport.KAFKA && Boolean.FALSE.equals(target.tls())) {
            throw new FieldViolation("target.tls", "webhook and syslog sinks always use TLS; only a Kafka sink may be"
                    + " plaintext");
        }
        return switch (transport) {
            case WEBHOOK -> SinkTarget.Webhook.parse(target.url());
            case SYSLOG -> new SinkTarget.Syslog(HostPort.parse("target.address", target.address()));
            case KAFKA -> {
                if (target.bootstrapServers() == null || target.bootstrapServers().isEmpty()
                        || target.bootstrapServers().size() > 16) {
                    throw new FieldViolation("target.bootstrapServers", "must list 1 to 16 host:port addresses");
                }
                List<HostPort> servers = new ArrayList<>();
                for (int i = 0; i < target.bootstrapServers().size(); i++) {
                    servers.add(HostPort.parse("target.bootstrapServers[" + i + "]", target.bootstrapServers().get(i)));
                }
                yield new SinkTarget.Kafka(servers, target.topic(), target.tls() == null || target.tls());
            }
        };
    }

    private static SinkSettings settings(SinkRequest.Settings given) {
        SinkSettings defaults = SinkSettings.DEFAULTS;
        if (given == null) {
            return defaults;
        }
        return new SinkSettings(
                given.batchSize() == null ? defaults.batchSize() : given.batchSize(),
                given.checkpointEveryRecords() == null ? defaults.checkpointEveryRecords()
                        : given.checkpointEveryRecords(),
                given.checkpointEvery() == null ? defaults.checkpointEvery()
                        : duration("settings.checkpointEvery", given.checkpointEvery()),
                given.deadAfter() == null ? defaults.deadAfter() : duration("settings.deadAfter", given.deadAfter()),
                given.maxMessageBytes() == null ? defaults.maxMessageBytes() : given.maxMessageBytes(),
                given.ocsfMapping());
    }

    private static Duration duration(String field, String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new FieldViolation(field, "must be an ISO-8601 duration such as PT10S");
        }
    }

    private static List<WebhookSecret> secrets(List<String> given) {
        if (given == null) {
            return List.of();
        }
        if (given.size() > WebhookSecret.MAX_SECRETS) {
            throw new FieldViolation("secrets", "at most " + WebhookSecret.MAX_SECRETS + " secrets");
        }
        List<WebhookSecret> secrets = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            secrets.add(WebhookSecret.parse("secrets[" + i + "]", given.get(i)));
        }
        return secrets;
    }
}
