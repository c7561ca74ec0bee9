package io.stenographer.adapters.persistence;

import java.sql.SQLException;
import java.util.Optional;

/** Tells a lost or refused database connection apart from every other SQL failure. */
final class ConnectionFailures {

    /** Agroal's pool timeout carries no SQLState, only this message. */
    private static final String POOL_ACQUISITION_TIMEOUT = "Acquisition timeout";

    private ConnectionFailures() {
    }

    /** The connection failure somewhere in {@code failure}'s cause chain, if there is one. */
    static Optional<SQLException> find(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isConnectionFailure(sql)) {
                return Optional.of(sql);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        if (state != null) {
            // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections.
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                    || state.equals("53300");
        }
        String message = e.getMessage();
        return message != null && message.startsWith(POOL_ACQUISITION_TIMEOUT);
    }
}
