package io.stenographer.adapters.streaming;

import io.stenographer.adapters.streaming.TargetAddressGuard.TargetRefused;
import io.stenographer.domain.sink.HostPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

/**
 * Opens a TLS connection to a sink's host the only way the transports do: the guard resolves and checks the host,
 * the socket connects to one of the addresses it returned (never to the name, so DNS cannot answer differently for
 * the connection), and TLS checks the certificate against the host name.
 *
 * <p>Every connection belongs to an {@link Attempt}, whose whole time is bounded: read timeouts alone do not bound an
 * attempt (a receiver that trickles a byte per read timeout, or stops reading so that a write blocks, would hold the
 * worker, and so the sink's lease, forever). When an attempt's time is up its socket is closed from a watchdog thread,
 * which ends any blocked read or write at once.
 */
final class TargetConnector {

    private static final int MAX_REASON_CHARS = 300;
    /** One daemon thread for every attempt of the service: it only closes sockets. */
    private static final ScheduledExecutorService DEADLINES = deadlines();

    private final TargetAddressGuard guard;
    private final StreamTls tls;
    private final SocketFactory sockets;
    private final int connectMillis;
    private final int readMillis;
    private final Duration attemptTimeout;

    TargetConnector(TargetAddressGuard guard, StreamTls tls, SocketFactory sockets, ConnectionTimeouts timeouts) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        this.connectMillis = (int) timeouts.connect().toMillis();
        this.readMillis = (int) timeouts.read().toMillis();
        this.attemptTimeout = timeouts.attempt();
    }

    private static ScheduledExecutorService deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "stenographer-stream-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // a finished attempt's timer leaves the queue at once, rather than keep its socket referenced until it is due
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** A new attempt, its time running from now; close it when the attempt is over. */
    Attempt attempt() {
        return new Attempt(attemptTimeout);
    }

    /**
     * One delivery attempt's time bound. At most one socket is watched at a time; when the time is up the watched
     * socket is closed (and any socket watched later is closed at once). Closing the attempt stops the watchdog and
     * closes the socket.
     */
    static final class Attempt implements AutoCloseable {
        private final Duration limit;
        private final ScheduledFuture<?> timer;
        private volatile boolean expired;
        private volatile Socket socket;

        private Attempt(Duration limit) {
            this.limit = limit;
            this.timer = DEADLINES.schedule(this::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
        }

        void watch(Socket watched) {
            socket = watched;
            if (expired) { // both sides write then read a volatile: one of them closes it
                closeQuietly(watched);
            }
        }

        private void expire() {
            expired = true;
            Socket watched = socket;
            if (watched != null) {
                closeQuietly(watched);
            }
        }

        boolean expired() {
            return expired;
        }

        /** Why an I/O step failed: the attempt's time, when the watchdog closed the socket, else the error. */
        String describe(IOException e) {
            return expired ? "no complete answer within the attempt timeout of " + limit : TargetConnector.describe(e);
        }

        @Override
        public void close() {
            timer.cancel(false);
            Socket watched = socket;
            if (watched != null) {
                closeQuietly(watched);
            }
        }
    }

    /**
     * A TLS socket, handshake done, reads timing out after the read timeout. Each address is tried in turn until one
     * accepts the TCP connection; a TLS failure is final (another address of the same name would not fix it).
     *
     * @throws IOException whose message says which address failed and how (no secret, no content)
     */
    SSLSocket open(HostPort target, Attempt attempt) throws TargetRefused, IOException {
        return open(target, attempt, tls::handshake);
    }

    /**
     * A TLS connection run by an {@link javax.net.ssl.SSLEngine} over the plain socket (so that the transport sees
     * every TLS record itself, the peer's close_notify included), handshake done, reads timing out after the read
     * timeout; addresses tried as {@link #open(HostPort)} does.
     */
    EngineTlsConnection openEngine(HostPort target, Attempt attempt) throws TargetRefused, IOException {
        return open(target, attempt, (socket, host, port) -> EngineTlsConnection.handshake(socket,
                tls.clientEngine(host, port)));
    }

    /** Layers TLS over a connected plain socket, completing the handshake; on failure the socket may be left open. */
    @FunctionalInterface
    interface TlsLayer<T> {
        T over(Socket connected, String host, int port) throws IOException;
    }

    private <T> T open(HostPort target, Attempt attempt, TlsLayer<T> layer) throws TargetRefused, IOException {
        Connected connected = connect(target, attempt);
        try {
            return layer.over(connected.socket(), target.host(), target.port());
        } catch (IOException e) {
            closeQuietly(connected.socket());
            throw new IOException("TLS with " + connected.where() + ": " + attempt.describe(e), e);
        }
    }

    /** A connected plain socket and the address it is connected to, as reasons name it. */
    record Connected(Socket socket, String where) {
    }

    /**
     * The step every transport shares: the guard resolves and checks the host, and a plain socket connects to one of
     * the addresses it returned (each in turn until one accepts), its reads timing out after the read timeout.
     *
     * @throws IOException naming the last address that failed and how
     */
    Connected connect(HostPort target, Attempt attempt) throws TargetRefused, IOException {
        List<InetAddress> addresses = guard.check(target);
        IOException last = null;
        for (InetAddress address : addresses) {
            String where = (address.getAddress().length == 16 ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress()) + ":" + target.port();
            if (attempt.expired()) {
                throw new IOException("connect to " + where + ": " + attempt.describe(new IOException()));
            }
            Socket socket = sockets.createSocket();
            attempt.watch(socket);
            try {
                socket.connect(new InetSocketAddress(address, target.port()), connectMillis);
            } catch (IOException e) {
                closeQuietly(socket);
                last = new IOException("connect to " + where + ": " + attempt.describe(e), e);
                continue;
            }
            try {
                socket.setSoTimeout(readMillis);
            } catch (IOException e) {
                closeQuietly(socket);
                throw new IOException("TLS with " + where + ": " + attempt.describe(e), e);
            }
            return new Connected(socket, where);
        }
        throw last;
    }

    /** A short reason for an I/O failure: what JDK messages say about sockets and TLS, never payload. */
    static String describe(IOException e) {
        String reason;
        if (e instanceof SocketTimeoutException) {
            reason = "timed out";
        } else if (e instanceof ConnectException) {
            reason = "connection refused";
        } else if (e instanceof SSLHandshakeException) {
            reason = "handshake failed: " + e.getMessage();
        } else if (e instanceof SSLException) {
            reason = "TLS error: " + e.getMessage();
        } else if (e.getClass() == IOException.class && e.getMessage() != null) {
            reason = e.getMessage(); // this adapter's own: already a sentence
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS - 3) + "..." : reason;
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
