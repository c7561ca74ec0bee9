package io.stenographer.adapters.web;

import io.stenographer.application.port.in.EventNotFound;
import io.stenographer.application.port.in.EventPastRetention;
import io.stenographer.application.port.in.FourEyesRequired;
import io.stenographer.application.port.in.LegalHoldNotFound;
import io.stenographer.application.port.in.ReportFileGone;
import io.stenographer.application.port.in.ReportNotFound;
import io.stenographer.application.port.in.ReportNotReady;
import io.stenographer.application.port.in.RetentionPolicyConflict;
import io.stenographer.application.port.in.RetentionPolicyNotFound;
import io.stenographer.application.port.in.ShorteningProposalNotFound;
import io.stenographer.application.port.in.TooManyReports;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.retention.HoldAlreadyReleased;
import io.stenographer.domain.retention.PolicyAlreadyRetired;
import io.stenographer.domain.event.FieldViolation;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What an error page says: the problem's status, {@code title} and {@code detail}, never a stack trace. A fault
 * that is not the user's is logged under an incident id that the page shows.
 */
public record ConsoleProblem(int status, String title, String detail) {

    private static final Logger LOG = Logger.getLogger(ConsoleProblem.class);

    public static ConsoleProblem of(RuntimeException e) {
        if (e instanceof FieldViolation violation) {
            return new ConsoleProblem(400, "The request is not valid", violation.field() + " " + violation.detail());
        }
        if (e instanceof ConsolePage.FormRefused) {
            return new ConsoleProblem(403, "Form refused", e.getMessage());
        }
        if (e instanceof TenantAccessDenied || e instanceof FourEyesRequired) {
            return new ConsoleProblem(403, "Not allowed", e.getMessage());
        }
        if (e instanceof EventNotFound notFound) {
            return new ConsoleProblem(404, "Not found", "No event " + notFound.id() + " is visible to you.");
        }
        if (e instanceof ReportNotFound || e instanceof LegalHoldNotFound || e instanceof RetentionPolicyNotFound
                || e instanceof ReportFileGone || e instanceof EventPastRetention
                || e instanceof ShorteningProposalNotFound) {
            return new ConsoleProblem(404, "Not found", e.getMessage());
        }
        if (e instanceof ReportNotReady || e instanceof TooManyReports || e instanceof RetentionPolicyConflict
                || e instanceof HoldAlreadyReleased
                || e instanceof PolicyAlreadyRetired) {
            return new ConsoleProblem(409, "Not possible now", e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            // As the API answers it (ProblemMapper): still the user's input, but a message no FieldViolation was
            // written for may quote library internals or event contents, so it goes to neither page nor log.
            StackTraceElement origin = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            LOG.warnf("console answering 400 for %s thrown at %s (message withheld: it may quote request contents)",
                    e.getClass().getName(), origin);
            return new ConsoleProblem(400, "The request is not valid",
                    "A value in the request is not accepted. Check the values you gave, then try again.");
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "console incident %s", incident);
        return new ConsoleProblem(500, "Something went wrong",
                "The server could not answer. Incident " + incident + " is in its log.");
    }
}
