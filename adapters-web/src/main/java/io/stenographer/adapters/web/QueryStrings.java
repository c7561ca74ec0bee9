package io.stenographer.adapters.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The query strings of the console's own links: bookmarks, next pages, shared searches. */
final class QueryStrings {

    private QueryStrings() {
    }

    /** {@code name=value&...} in the map's order, each value URL-encoded; blank values are left out. */
    static String of(Map<String, String> parameters) {
        StringBuilder query = new StringBuilder();
        parameters.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                query.append(query.length() == 0 ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }
}
