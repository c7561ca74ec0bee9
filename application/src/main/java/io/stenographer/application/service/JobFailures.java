package io.stenographer.application.service;

import io.stenographer.application.port.in.JobRun;

/**
 * What a job keeps of a failure: in its run, which the tenants' auditors read, and in the tenant's own log, which keeps
 * it for good. Stenographer's own refusals are written for those readers and kept as they are. A driver's, an SDK's or
 * the JDK's message may name hosts, buckets, SQL or values, so it is kept as its kind only; its full text goes to the
 * service's log, where operators look, with the run's id to find it by.
 */
final class JobFailures {

    static final String IN_THE_SERVICE_LOG = "(details in the service log)";
    private static final System.Logger LOG = System.getLogger(JobFailures.class.getName());

    private JobFailures() {
    }

    /** The failure as the run and the tenant's log keep it; logs its full text when that is not kept. */
    static String describe(JobRun run, String where, Throwable failure) {
        String kept = publishable(failure);
        if (!kept.equals(failure.getMessage())) {
            LOG.log(System.Logger.Level.WARNING, run.job() + " run " + run.id() + ", " + where + ": " + failure,
                    failure);
        }
        return kept;
    }

    /** The message of one of Stenographer's own refusals, with any foreign cause's text it quotes taken out. */
    static String publishable(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || !raisedByStenographer(failure)) {
            return failure.getClass().getSimpleName() + " " + IN_THE_SERVICE_LOG;
        }
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            String quoted = cause.getMessage();
            if (quoted != null && !quoted.isBlank() && !raisedByStenographer(cause)) {
                message = message.replace(quoted, IN_THE_SERVICE_LOG);
            }
        }
        return message;
    }

    /** Thrown by the domain's or the application's own code, whose messages are written to be read. */
    private static boolean raisedByStenographer(Throwable failure) {
        StackTraceElement[] trace = failure.getStackTrace();
        if (trace.length == 0) {
            return false;
        }
        String thrower = trace[0].getClassName();
        return thrower.startsWith("io.stenographer.domain.") || thrower.startsWith("io.stenographer.application.");
    }
}
