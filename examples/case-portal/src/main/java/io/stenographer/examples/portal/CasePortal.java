package io.stenographer.examples.portal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stenographer.client.AuditClient;
import io.stenographer.client.AuditClientException;
import io.stenographer.client.Event;
import io.stenographer.client.QueueFullPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A citizen-service case portal, the seed document's example: an officer views a case and exports it, and each
 * action (a denied one too) is an audit event logged through the in-app client. Identity is the {@code X-Officer}
 * header here, which a real portal takes from its login instead.
 *
 * <pre>
 *   GET /cases/{id}          view      -> case.view
 *   GET /cases/{id}/export   export    -> case.export (denied for sealed cases, ids starting with "S-")
 * </pre>
 */
public final class CasePortal implements AutoCloseable {

    private static final Pattern CASE = Pattern.compile("/cases/([A-Za-z0-9-]{1,40})(/export)?");

    private final HttpServer server;
    private final AuditClient audit;

    public CasePortal(int port, AuditClient audit) throws IOException {
        this.audit = audit;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/cases/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = CASE.matcher(exchange.getRequestURI().getPath());
            String officer = exchange.getRequestHeaders().getFirst("X-Officer");
            if (!path.matches() || officer == null || officer.isBlank()) {
                respond(exchange, 400, "use GET /cases/{id} or /cases/{id}/export with an X-Officer header\n");
                return;
            }
            String caseId = path.group(1);
            boolean export = path.group(2) != null;
            boolean sealed = caseId.startsWith("S-");
            Event.Outcome outcome = export && sealed ? Event.Outcome.DENIED : Event.Outcome.SUCCESS;
            try {
                // The audit event is recorded before the record leaves the portal: no receipt, no data.
                audit.logAndWait(Event.builder(export ? "case.export" : "case.view").actor(officer)
                        .resource("case", caseId).outcome(outcome)
                        .source(exchange.getRemoteAddress().getAddress().getHostAddress(),
                                exchange.getRequestHeaders().getFirst("User-Agent"))
                        .metadata(export ? Map.of("format", "pdf") : Map.of()).build());
            } catch (AuditClientException e) {
                respond(exchange, 503, "the action could not be audited, so it was not done: " + e.getMessage()
                        + "\n");
                return;
            }
            if (outcome == Event.Outcome.DENIED) {
                respond(exchange, 403, "case " + caseId + " is sealed\n");
            } else {
                respond(exchange, 200, (export ? "export of case " : "case ") + caseId + "\n");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        audit.close();
    }

    /**
     * Environment: {@code STENOGRAPHER_URL} (default http://localhost:8080), {@code STENOGRAPHER_TENANT} (acme),
     * {@code STENOGRAPHER_VERIFIER_KEY} (optional), {@code PORTAL_PORT} (8090), {@code PORTAL_SPOOL} (a directory:
     * SPOOL mode), and the token: {@code STENOGRAPHER_TOKEN}, or with none the dev service's demo writer token.
     */
    public static void main(String[] args) throws Exception {
        URI service = URI.create(env("STENOGRAPHER_URL", "http://localhost:8080"));
        String token = System.getenv("STENOGRAPHER_TOKEN");
        AuditClient.Builder builder = AuditClient.builder(service).tenant(env("STENOGRAPHER_TENANT", "acme"))
                .application("case-portal").closeOnShutdown(false) // the portal's own hook closes it, after the server
                .tokens(token != null ? () -> token : new DevTokens(service.resolve("/dev/tokens/writer")));
        if (System.getenv("STENOGRAPHER_VERIFIER_KEY") != null) {
            builder.verifierKey(System.getenv("STENOGRAPHER_VERIFIER_KEY"));
        }
        if (System.getenv("PORTAL_SPOOL") != null) {
            builder.queueFullPolicy(QueueFullPolicy.SPOOL).spoolDirectory(Path.of(System.getenv("PORTAL_SPOOL")));
        }
        CasePortal portal = new CasePortal(Integer.parseInt(env("PORTAL_PORT", "8090")), builder.build());
        Runtime.getRuntime().addShutdownHook(new Thread(portal::close));
        System.out.println("case portal on http://127.0.0.1:" + portal.port() + "/cases/{id}, auditing to " + service);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
