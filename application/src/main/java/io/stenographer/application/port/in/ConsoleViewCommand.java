package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * @param page what was viewed, e.g. {@code search}, {@code event}, {@code report-download}
 * @param details what the page showed it for (filters, an event id), as text; at most 20, each at most 512 chars.
 *                The identifiers a page was filtered by go in {@link #ACTOR} and {@link #RESOURCE_ID}, never inside
 *                another entry: they are recorded as the tenant's events store them (a pseudonym where personal)
 */
public record ConsoleViewCommand(Caller caller, TenantId tenant, String page, Map<String, String> details) {

    /** The detail naming the actor id a page was filtered by. */
    public static final String ACTOR = "actor";
    /** The detail naming the resource id a page was filtered by. */
    public static final String RESOURCE_ID = "resourceId";

    private static final Pattern PAGE = Pattern.compile("[a-z][a-z-]{0,39}");

    public ConsoleViewCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        if (page == null || !PAGE.matcher(page).matches()) {
            throw new IllegalArgumentException("a console page is named in lower case, e.g. search");
        }
        details = Map.copyOf(details);
        if (details.size() > 20 || details.entrySet().stream()
                .anyMatch(e -> e.getKey().length() > 64 || e.getValue().length() > 512)) {
            throw new IllegalArgumentException("console view details are at most 20 short entries");
        }
    }
}
