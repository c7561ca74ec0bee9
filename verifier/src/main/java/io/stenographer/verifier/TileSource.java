package io.stenographer.verifier;

import io.stenographer.verifier.VerifierCli.Failure;
import io.stenographer.verifier.VerifierCli.UsageError;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a c2sp.org/tlog-tiles log is read from: a directory or a base URL, under which the spec's relative paths
 * ({@code checkpoint}, {@code tile/...}) live. Every read is capped, so a hostile source cannot exhaust memory.
 */
abstract class TileSource {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    /** RFC 6750's b64token: anything else could not be a bearer token, and could smuggle header lines. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The resource's bytes, or null when the source does not have it (no such file, HTTP 404).
     * Fails on any other error and when the resource is larger than {@code maxBytes}.
     */
    abstract byte[] readIfPresent(String path, long maxBytes, String kind);

    /** Where {@code path} is read from, for messages. */
    abstract String locate(String path);

    /** What the source is, for messages. */
    abstract String describe();

    /** The resource's bytes; fails when it is missing. */
    final byte[] read(String path, long maxBytes, String kind) {
        byte[] bytes = readIfPresent(path, maxBytes, kind);
        if (bytes == null) {
            throw missing(path);
        }
        return bytes;
    }

    abstract Failure missing(String path);

    static Failure tooLarge(String where, long maxBytes, String kind) {
        return new Failure(where + " is larger than " + maxBytes + " bytes, more than any " + kind + " can be");
    }

    /** A directory, or an https URL (http only to this machine), with an optional bearer token for the URL. */
    static TileSource open(String source, String tokenFile) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new Http(baseUri(source), tokenFile == null ? null : bearerToken(tokenFile));
        }
        if (lower.contains("://")) {
            throw new UsageError("--source " + source + " is neither a directory nor an http(s) URL");
        }
        if (tokenFile != null) {
            throw new UsageError("--token-file applies only to a URL --source, not to a directory");
        }
        Path directory;
        try {
            directory = Path.of(source);
        } catch (RuntimeException e) {
            throw new UsageError("--source " + source + ": no such directory");
        }
        if (!Files.isDirectory(directory)) {
            throw new UsageError("--source " + source + ": no such directory");
        }
        return new Directory(directory);
    }

    private static URI baseUri(String source) {
        URI uri;
        try {
            uri = new URI(source);
        } catch (URISyntaxException e) {
            throw new UsageError("--source " + source + " is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new UsageError("--source " + source + " must be a base URL: scheme, host, optional port and "
                    + "path, no credentials, query or fragment");
        }
        // Plain http only where nobody else can read or alter the tiles or the token on the way.
        if (scheme.equals("http") && !LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
            throw new UsageError("--source " + source + " is refused: plain http is allowed only to localhost or "
                    + "127.0.0.1; use https");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return URI.create(scheme + "://" + uri.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
    }

    /** The token is read from a file so it never shows on a command line (ps, shell history). */
    private static String bearerToken(String tokenFile) {
        Path file = VerifierCli.existingFile(tokenFile, "--token-file");
        String token = VerifierCli.readText(file).strip();
        if (token.isEmpty()) {
            throw new UsageError("--token-file " + file + " is empty");
        }
        if (!BEARER_TOKEN.matcher(token).matches()) {
            throw new UsageError("--token-file " + file + " does not hold a bearer token (one line of letters, "
                    + "digits and -._~+/ characters, optionally ending in =)");
        }
        return token;
    }

    /** A log written to disk in the spec's layout. */
    private static final class Directory extends TileSource {

        private final Path root;

        Directory(Path root) {
            this.root = root;
        }

        @Override
        byte[] readIfPresent(String path, long maxBytes, String kind) {
            Path file = root.resolve(path);
            if (!Files.exists(file)) {
                return null;
            }
            if (!Files.isRegularFile(file)) {
                throw new Failure(file + " is not a regular file");
            }
            try (InputStream in = Files.newInputStream(file)) {
                // Read one byte past the cap rather than trusting the size: the file may grow meanwhile.
                byte[] bytes = in.readNBytes((int) maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw tooLarge(file.toString(), maxBytes, kind);
                }
                return bytes;
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw new Failure("cannot read " + file + ": " + e.getMessage());
            }
        }

        @Override
        String locate(String path) {
            return root.resolve(path).toString();
        }

        @Override
        String describe() {
            return root.toString();
        }

        @Override
        Failure missing(String path) {
            return new Failure(path + " is missing: no such file " + locate(path));
        }
    }

    /** A log served over HTTP(S): one GET per resource, redirects not followed, so the token goes nowhere else. */
    private static final class Http extends TileSource {

        private final URI base;
        private final String token;
        private final HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        Http(URI base, String token) {
            this.base = base;
            this.token = token;
        }

        @Override
        byte[] readIfPresent(String path, long maxBytes, String kind) {
            URI uri = URI.create(base + path);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new Failure("GET " + uri + " timed out");
            } catch (ConnectException e) {
                throw new Failure("GET " + uri + " failed: cannot connect to " + base.getRawAuthority());
            } catch (IOException e) {
                throw new Failure("GET " + uri + " failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("GET " + uri + " was interrupted");
            }
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status == 404) {
                    return null;
                }
                if (status != 200) {
                    throw new Failure("GET " + uri + " returned HTTP " + status + statusHint(status));
                }
                if (response.headers().firstValueAsLong("Content-Length").orElse(0) > maxBytes) {
                    throw tooLarge(uri.toString(), maxBytes, kind);
                }
                byte[] bytes = body.readNBytes((int) maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw tooLarge(uri.toString(), maxBytes, kind);
                }
                return bytes;
            } catch (IOException e) {
                throw new Failure("GET " + uri + " failed while reading the body: " + e.getMessage());
            }
        }

        private String statusHint(int status) {
            if (status == 401) {
                return token == null ? " (unauthorized: the log needs a bearer token, see --token-file)"
                        : " (unauthorized: the log does not accept the token in --token-file)";
            }
            if (status == 403) {
                return " (forbidden: no access to this log with " + (token == null ? "no token" : "this token")
                        + ", or the resource is pruned)";
            }
            if (status >= 300 && status < 400) {
                return " (a redirect, not followed: give the final base URL as --source)";
            }
            return "";
        }

        @Override
        String locate(String path) {
            return base + path;
        }

        @Override
        String describe() {
            return base.toString();
        }

        @Override
        Failure missing(String path) {
            return new Failure(path + " is missing: GET " + locate(path) + " returned HTTP 404 (not found)");
        }
    }
}
