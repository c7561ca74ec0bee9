package io.stenographer.adapters.rest.problem;

import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.stenographer.application.port.in.DurabilityLost;
import io.stenographer.application.port.in.EventNotFound;
import io.stenographer.application.port.in.EventPastRetention;
import io.stenographer.application.port.in.FourEyesRequired;
import io.stenographer.application.port.in.LegalHoldNotFound;
import io.stenographer.application.port.in.SinkConflict;
import io.stenographer.application.port.in.SinkNotFound;
import io.stenographer.application.port.in.ReportFileCorrupted;
import io.stenographer.application.port.in.ReportFileGone;
import io.stenographer.application.port.in.ReportFileUnavailable;
import io.stenographer.application.port.in.ReportNotFound;
import io.stenographer.application.port.in.ReportNotReady;
import io.stenographer.application.port.in.RetentionPolicyConflict;
import io.stenographer.application.port.in.SubjectUnderLegalHold;
import io.stenographer.application.port.in.RetentionPolicyNotFound;
import io.stenographer.application.port.in.ShorteningProposalNotFound;
import io.stenographer.application.port.in.TileNotFound;
import io.stenographer.application.port.in.TooManyReports;
import io.stenographer.application.port.in.VerificationAlreadyRunning;
import io.stenographer.application.port.out.StoreUnavailable;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.access.TokenRequired;
import io.stenographer.application.port.in.InvalidCursor;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.report.ReportStatus;
import io.stenographer.domain.retention.HoldAlreadyReleased;
import io.stenographer.domain.retention.PolicyAlreadyRetired;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers: RFC 9457 {@code application/problem+json}
 * with a stable {@code type} per error. Bad input is always 4xx; only genuine faults are 500, and
 * their details stay in the server log under an incident id.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    /** Matches the embedded database supervisor's restart delay. */
    static final int RETRY_AFTER_SECONDS = 2;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response fieldViolation(FieldViolation e) {
        return respond(ProblemResponse.ofField(ProblemType.VALIDATION_FAILED, e.field(), e.detail()));
    }

    @ServerExceptionMapper
    public Response invalidCursor(InvalidCursor e) {
        return respond(ProblemResponse.ofField(ProblemType.INVALID_CURSOR, e.field(), e.detail()));
    }

    @ServerExceptionMapper
    public Response tenantDenied(TenantAccessDenied e) {
        return respond(ProblemResponse.of(ProblemType.TENANT_ACCESS_DENIED, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response eventPastRetention(EventPastRetention e) {
        return respond(ProblemResponse.of(ProblemType.EVENT_PAST_RETENTION, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response eventNotFound(EventNotFound e) {
        return respond(ProblemResponse.of(ProblemType.NOT_FOUND, "no event " + e.id() + " is visible to you"));
    }

    @ServerExceptionMapper
    public Response tileNotFound(TileNotFound e) {
        return respond(ProblemResponse.of(ProblemType.NOT_FOUND, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response reportNotFound(ReportNotFound e) {
        return respond(ProblemResponse.of(ProblemType.NOT_FOUND, "no report " + e.id() + " is visible to you"));
    }

    @ServerExceptionMapper
    public Response reportNotReady(ReportNotReady e) {
        return respond(ProblemResponse.of(ProblemType.REPORT_NOT_READY, e.getMessage()
                + (e.status() == ReportStatus.FAILED ? "; see its status for why"
                        : "; poll its status until it is succeeded")));
    }

    @ServerExceptionMapper
    public Response reportFileGone(ReportFileGone e) {
        return respond(ProblemResponse.of(ProblemType.REPORT_FILE_GONE, e.getMessage()));
    }

    /** Evidence that a stored report file was changed or damaged: loud in the log, plain to the client, no file bytes. */
    @ServerExceptionMapper
    public Response reportFileCorrupted(ReportFileCorrupted e) {
        LOG.errorf("REPORT FILE INTEGRITY VIOLATION: %s", e.getMessage());
        return respond(ProblemResponse.of(ProblemType.REPORT_FILE_INTEGRITY, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response reportFileUnavailable(ReportFileUnavailable e) {
        LOG.warnf("answering 503: %s (%s)", e.getMessage(), e.getCause() == null ? "" : e.getCause().getMessage());
        return unavailable(e.getMessage());
    }

    @ServerExceptionMapper
    public Response tooManyReports(TooManyReports e) {
        return Response.fromResponse(respond(ProblemResponse.of(ProblemType.TOO_MANY_REPORTS, e.getMessage())))
                .header(HttpHeaders.RETRY_AFTER, "30")
                .build();
    }

    /** Ingest refused while the database's durability settings are off (found after the start): loud in the log. */
    @ServerExceptionMapper
    public Response durabilityLost(DurabilityLost e) {
        LOG.errorf("answering 503: %s", e.getMessage());
        return unavailable("the service cannot promise that a stored event survives a crash just now, so nothing was"
                + " stored; retry later");
    }

    @ServerExceptionMapper
    public Response verificationRunning(VerificationAlreadyRunning e) {
        return Response.fromResponse(respond(ProblemResponse.of(ProblemType.VERIFICATION_RUNNING, e.getMessage())))
                .header(HttpHeaders.RETRY_AFTER, "30")
                .build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class, TokenRequired.class})
    public Response unauthenticated(RuntimeException e) {
        return Response.fromResponse(respond(ProblemResponse.of(ProblemType.UNAUTHENTICATED,
                        e instanceof TokenRequired ? e.getMessage()
                                : "send a valid, unexpired bearer token from the configured issuer")))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(ProblemResponse.of(ProblemType.FORBIDDEN, "the token lacks the role this endpoint requires"));
    }

    /**
     * A broken invariant that no message was written for (a {@link FieldViolation} has its own mapper): still the
     * client's input, so 400, but its message may quote library internals or event contents, so the client gets a
     * generic one and the log gets where it was thrown, without the message.
     */
    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e) {
        StackTraceElement origin = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        LOG.warnf("answering 400 for %s thrown at %s (message withheld: it may quote request contents)",
                e.getClass().getName(), origin);
        return respond(ProblemResponse.of(ProblemType.VALIDATION_FAILED,
                "the request is invalid; see the API description for what each field accepts"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        ProblemType type;
        if (e instanceof NotFoundException) {
            type = ProblemType.NOT_FOUND;
        } else if (e instanceof NotAllowedException) {
            type = ProblemType.METHOD_NOT_ALLOWED;
        } else if (e instanceof NotSupportedException) {
            type = ProblemType.UNSUPPORTED_MEDIA_TYPE;
        } else if (e instanceof NotAcceptableException) {
            type = ProblemType.NOT_ACCEPTABLE;
        } else if (e.getResponse().getStatus() == 413) {
            type = ProblemType.PAYLOAD_TOO_LARGE;
        } else if (e.getResponse().getStatus() >= 500) {
            return internal(e);
        } else {
            // The framework's message may name its internals; the reason phrase is what the client needs.
            int status = e.getResponse().getStatus();
            String reason = e.getResponse().getStatusInfo().getReasonPhrase();
            return respond(new ProblemResponse(ProblemType.VALIDATION_FAILED.uri(), reason, status,
                    reason == null ? "the request is invalid" : reason, null, null));
        }
        return respond(ProblemResponse.of(type, type.title()));
    }

    /** Evidence of tampering: loud in the log, plain to the client. */
    @ServerExceptionMapper
    public Response logIntegrity(LogIntegrityViolation e) {
        LOG.errorf("LOG INTEGRITY VIOLATION: %s", e.getMessage());
        return respond(ProblemResponse.of(ProblemType.LOG_INTEGRITY, e.getMessage()));
    }

    /**
     * The database is down or unreachable: nothing was acknowledged. Whether a write was stored is not known when the
     * connection failed during its commit, so the client retries under the same key.
     */
    @ServerExceptionMapper
    public Response storeUnavailable(StoreUnavailable e) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return unavailable("the event store is unreachable, and whether this request was stored is not known; retry"
                + " after " + RETRY_AFTER_SECONDS + " s with the same Idempotency-Key, which is never stored twice"
                + " (without a key a retry may store an event twice)");
    }

    public static Response unavailable(String detail) {
        return Response.fromResponse(respond(ProblemResponse.of(ProblemType.UNAVAILABLE, detail)))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .build();
    }

    @ServerExceptionMapper
    public Response internal(Throwable e) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "unhandled error, incident %s", incident);
        return respond(ProblemResponse.of(ProblemType.INTERNAL, "internal error, incident " + incident));
    }

    public static Response respond(ProblemResponse problem) {
        return Response.status(problem.status())
                .type(ProblemResponse.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    // --- Retention policies and legal holds ---

    @ServerExceptionMapper
    public Response retentionPolicyNotFound(RetentionPolicyNotFound e) {
        return respond(ProblemResponse.of(ProblemType.NOT_FOUND, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response fourEyesRequired(FourEyesRequired e) {
        return respond(ProblemResponse.of(ProblemType.FOUR_EYES_REQUIRED, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response shorteningProposalNotFound(ShorteningProposalNotFound e) {
        return respond(ProblemResponse.of(ProblemType.NOT_FOUND, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response retentionPolicyConflict(RetentionPolicyConflict e) {
        return respond(ProblemResponse.ofField(ProblemType.POLICY_CONFLICT, "id", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response retentionPolicyRetired(PolicyAlreadyRetired e) {
        return respond(ProblemResponse.ofField(ProblemType.POLICY_CONFLICT, "id", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response legalHoldNotFound(LegalHoldNotFound e) {
        return respond(ProblemResponse.of(ProblemType.NOT_FOUND, "no legal hold " + e.id() + " is visible to you"));
    }

    @ServerExceptionMapper
    public Response subjectUnderLegalHold(SubjectUnderLegalHold e) {
        return respond(ProblemResponse.of(ProblemType.SUBJECT_UNDER_LEGAL_HOLD, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response legalHoldReleased(HoldAlreadyReleased e) {
        return respond(ProblemResponse.of(ProblemType.LEGAL_HOLD_CONFLICT, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response sinkNotFound(SinkNotFound e) {
        return respond(ProblemResponse.of(ProblemType.NOT_FOUND, "no stream sink " + e.id() + " is visible to you"));
    }

    @ServerExceptionMapper
    public Response sinkConflict(SinkConflict e) {
        return respond(ProblemResponse.of(ProblemType.SINK_CONFLICT, e.getMessage()));
    }

    // --- Identity provider ---

    /**
     * Quarkus OIDC could not reach the identity provider to check a token (not reached since start-up): the client
     * is not at fault and should retry once the provider is back.
     */
    @ServerExceptionMapper
    public Response identityProviderUnavailable(OIDCException e) {
        LOG.warnf("answering 503, the OIDC provider is unavailable: %s", e.getMessage());
        return Response.fromResponse(respond(ProblemResponse.of(ProblemType.UNAVAILABLE,
                        "the identity provider cannot be reached to check the token; retry later")))
                .header(HttpHeaders.RETRY_AFTER, "5")
                .build();
    }
}
