package io.stenographer.adapters.rest.request;

import io.stenographer.adapters.rest.problem.ProblemException;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.adapters.rest.problem.ProblemType;
import io.stenographer.domain.event.FieldViolation;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Rules every request meets before a resource runs, so no endpoint can forget one: only the query parameters the
 * resource method declares, each at most once (unless declared as a list), without control characters; one
 * non-empty {@code Idempotency-Key}; bodies in UTF-8. Nothing a client sends is silently ignored.
 */
public class RequestRules {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Map<Method, Declared> declared = new ConcurrentHashMap<>();

    /**
     * A client that accepts problem+json is told what is wrong with its request, not 406 because the success
     * answer is plain JSON: RFC 9110 (12.5.1) lets the server disregard Accept instead of answering 406.
     */
    @ServerRequestFilter(preMatching = true)
    public void acceptProblems(ContainerRequestContext request) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (accept != null && accept.toLowerCase(Locale.ROOT).contains(ProblemResponse.MEDIA_TYPE)) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, accept + ", */*;q=0.001");
        }
    }

    /** Bodies are read as UTF-8 only; a body declared in another charset would be misread, so it is refused. */
    @ServerRequestFilter(preMatching = true)
    public void utf8Only(ContainerRequestContext request) {
        List<String> types = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        // Only a body can be misread: clients often label empty POSTs with a default text charset.
        if (types == null || types.isEmpty() || !hasBody(request)) {
            return;
        }
        if (types.size() > 1) {
            throw ProblemException.ofField(ProblemType.VALIDATION_FAILED, HttpHeaders.CONTENT_TYPE,
                    "must be sent at most once");
        }
        MediaType type;
        try {
            type = MediaType.valueOf(types.get(0));
        } catch (IllegalArgumentException e) {
            throw ProblemException.ofField(ProblemType.UNSUPPORTED_MEDIA_TYPE, HttpHeaders.CONTENT_TYPE,
                    "is not a valid media type");
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !isUtf8(charset)) {
            throw ProblemException.ofField(ProblemType.UNSUPPORTED_MEDIA_TYPE, HttpHeaders.CONTENT_TYPE,
                    "only UTF-8 bodies are accepted (charset=utf-8, or no charset)");
        }
    }

    @ServerRequestFilter
    public void declaredParametersOnly(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Declared known = declared.computeIfAbsent(method, Declared::of);
        Map<String, List<String>> query = strictQuery(request.getUriInfo().getRequestUri().getRawQuery());
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            if (!known.query().contains(name)) {
                throw ProblemException.ofField(ProblemType.UNKNOWN_FIELD, printable(name),
                        "is not a known query parameter; known: " + new TreeSet<>(known.query()));
            }
            if (parameter.getValue().size() > 1 && !known.repeatable().contains(name)) {
                throw new FieldViolation(name, "must be given at most once");
            }
            for (String value : parameter.getValue()) {
                if (hasControlCharacter(value)) {
                    throw new FieldViolation(name, "must not contain control characters");
                }
            }
        }
        if (known.headers().contains(IDEMPOTENCY_KEY.toLowerCase(Locale.ROOT))) {
            List<String> keys = request.getHeaders().get(IDEMPOTENCY_KEY);
            if (keys != null && keys.size() > 1) {
                throw new FieldViolation(IDEMPOTENCY_KEY, "must be sent at most once");
            }
            if (keys != null && keys.get(0).isBlank()) {
                throw new FieldViolation(IDEMPOTENCY_KEY, "must not be empty when sent");
            }
        }
    }

    /**
     * The query string decoded strictly: a percent escape that is not UTF-8 is refused rather than read as U+FFFD,
     * which would search for something the client did not send.
     */
    static Map<String, List<String>> strictQuery(String raw) {
        Map<String, List<String>> query = new TreeMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode("(query)", equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(printable(name), pair.substring(equals + 1));
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String field, String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw ProblemException.ofField(ProblemType.VALIDATION_FAILED, field,
                            "is not valid percent-encoding");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.ofField(ProblemType.VALIDATION_FAILED, field, "is not valid percent-encoded UTF-8");
        }
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return request.getHeaderString("Transfer-Encoding") != null
                || (length != null && !length.trim().equals("0"));
    }

    private static boolean isUtf8(String charset) {
        try {
            return Charset.forName(charset.trim()).equals(StandardCharsets.UTF_8);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return false;
        }
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A parameter name fit to be echoed in a problem: control characters shown as U+XXXX. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("U+%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** The query parameters and headers a resource method declares; list-typed parameters may repeat. */
    private record Declared(Set<String> query, Set<String> repeatable, Set<String> headers) {

        static Declared of(Method method) {
            Set<String> query = new HashSet<>();
            Set<String> repeatable = new HashSet<>();
            Set<String> headers = new HashSet<>();
            Class<?>[] types = method.getParameterTypes();
            Annotation[][] annotations = method.getParameterAnnotations();
            for (int i = 0; i < annotations.length; i++) {
                for (Annotation annotation : annotations[i]) {
                    if (annotation instanceof QueryParam q) {
                        query.add(q.value());
                        if (Collection.class.isAssignableFrom(types[i])) {
                            repeatable.add(q.value());
                        }
                    } else if (annotation instanceof HeaderParam h) {
                        headers.add(h.value().toLowerCase(Locale.ROOT));
                    }
                }
            }
            return new Declared(Set.copyOf(query), Set.copyOf(repeatable), Set.copyOf(headers));
        }
    }
}
