package io.stenographer.adapters.rest.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.MemorySize;
import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.adapters.rest.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problems decided below JAX-RS, in the HTTP layer, answered in the same problem+json as every other error.
 * Quarkus refuses a declared Content-Length above {@code quarkus.http.limits.max-body-size} with an empty 413
 * (its handler has route order -2), and its body handler fails a longer chunked body with status 413, which its
 * error handler answers with an empty body. These routes run first and say why.
 */
@ApplicationScoped
public class HttpLayerProblems {

    /** Before Quarkus' own body-size check. */
    static final int ORDER = -3;
    /** Quarkus' dev-mode endpoints: Dev UI, the ArC bean and observer listings, the dev console. */
    static final String DEV_ONLY_PATHS = "/q/(arc|dev|dev-ui|dev-v1|dev-v2|console)(/.*)?";

    private final long maxBodyBytes;
    private final int maxUriLength;

    HttpLayerProblems(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            @ConfigProperty(name = "stenographer.http.max-uri-length", defaultValue = "8192") int maxUriLength) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.maxUriLength = maxUriLength;
    }

    void install(@Observes Router router) {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            // Dev-mode tools list beans, classes and configuration; outside dev mode they must not exist, whatever
            // a build or an extension switches on.
            router.routeWithRegex(DEV_ONLY_PATHS).order(ORDER).handler(context -> context.response()
                    .setStatusCode(ProblemType.NOT_FOUND.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, ProblemResponse.MEDIA_TYPE)
                    .end(json(ProblemResponse.of(ProblemType.NOT_FOUND, ProblemType.NOT_FOUND.title()))));
        }
        router.route().order(ORDER).handler(this::uriLength);
        router.route().order(ORDER).handler(this::declaredLength);
        // Reads a chunked HTTP/1.1 body (no Content-Length) up to the limit here, so going over it fails the route
        // with 413 (answered below) instead of an empty 413 written while JAX-RS reads the body. Only there: over
        // HTTP/2, JAX-RS cannot take a body another handler has read.
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(maxBodyBytes)
                .setMergeFormAttributes(false).setPreallocateBodyBuffer(false);
        router.route().order(ORDER).handler(context -> {
            if (context.request().version() != HttpVersion.HTTP_2
                    && context.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null
                    && context.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                chunked.handle(context);
            } else {
                context.next();
            }
        });
        router.route().order(ORDER).failureHandler(this::statusOnlyFailure);
    }

    /** A failure that is only a status (no exception): a 4xx decided by Vert.x, e.g. a body over the limit. */
    private void statusOnlyFailure(RoutingContext context) {
        int status = context.statusCode();
        if (context.failure() != null || status < 400 || status > 499 || context.response().headWritten()) {
            context.next();
            return;
        }
        ProblemResponse problem = switch (status) {
            case 413 -> ProblemResponse.of(ProblemType.PAYLOAD_TOO_LARGE, "the body is larger than the limit for any "
                    + "request, " + maxBodyBytes + " bytes");
            case 404 -> ProblemResponse.of(ProblemType.NOT_FOUND, ProblemType.NOT_FOUND.title());
            case 405 -> ProblemResponse.of(ProblemType.METHOD_NOT_ALLOWED, ProblemType.METHOD_NOT_ALLOWED.title());
            case 415 -> ProblemResponse.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    ProblemType.UNSUPPORTED_MEDIA_TYPE.title());
            default -> new ProblemResponse(ProblemType.VALIDATION_FAILED.uri(), ProblemType.VALIDATION_FAILED.title(),
                    status, "the request was refused by the HTTP layer", null, null);
        };
        answer(context, problem);
    }

    /**
     * The codec's own limit (quarkus.http.limits.max-initial-line-length) is set above this one, so a long URI
     * reaches this route and is told why; only a request line beyond the codec's limit gets its empty 414.
     */
    private void uriLength(RoutingContext context) {
        int length = context.request().uri().length();
        if (length > maxUriLength) {
            answer(context, ProblemResponse.of(ProblemType.URI_TOO_LONG, "the URI has " + length
                    + " characters; the limit is " + maxUriLength + " (narrow the query)"));
            return;
        }
        context.next();
    }

    private void declaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                // The HTTP codec refuses a malformed Content-Length before any route runs.
                context.next();
                return;
            }
            if (length > maxBodyBytes) {
                answer(context, ProblemResponse.of(ProblemType.PAYLOAD_TOO_LARGE, "the body is " + length
                        + " bytes; the limit for any request is " + maxBodyBytes + " bytes"));
                return;
            }
        }
        context.next();
    }

    /**
     * Writes a problem and, over HTTP/1.x, closes the connection: the rest of an oversized body is not read. (HTTP/2
     * has no Connection header; closing would drop the client's other streams with a GOAWAY.)
     */
    private static void answer(RoutingContext context, ProblemResponse problem) {
        if (context.request().version() == HttpVersion.HTTP_2) {
            context.response().setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, ProblemResponse.MEDIA_TYPE).end(json(problem));
            return;
        }
        context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemResponse.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(json(problem))
                .onComplete(ended -> context.request().connection().close());
    }

    private static String json(ProblemResponse problem) {
        try {
            return StrictJson.mapper().writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem always serialises", e);
        }
    }
}
