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
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

/**
 * Opens a TLS connection to a sink's host the only way the transports do: the guard resolves and checks the host,
 * the socket connects to one of the addresses it returned (never to the name, so DNS cannot answer differently for
 * the connection), and TLS checks the certificate against the host name.
 */
final class TargetConnector {

    private static final int MAX_REASON_CHARS = 300;

    private final TargetAddressGuard guard;
    private final StreamTls tls;
    private final SocketFactory sockets;
    private final int connectMillis;
    private final int readMillis;

    TargetConnector(TargetAddressGuard guard, StreamTls tls, SocketFactory sockets, Duration connectTimeout,
            Duration readTimeout) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        this.connectMillis = millis(connectTimeout, "connectTimeout");
        this.readMillis = millis(readTimeout, "readTimeout");
    }

    private static int millis(Duration timeout, String name) {
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be positive, was " + timeout);
        }
        return (int) timeout.toMillis();
    }

    /**
     * A TLS socket, handshake done, reads timing out after the read timeout. Each address is tried in turn until one
     * accepts the TCP connection; a TLS failure is final (another address of the same name would not fix it).
     *
     * @throws IOException whose message says which address failed and how (no secret, no content)
     */
    SSLSocket open(HostPort target) throws TargetRefused, IOException {
        return open(target, tls::handshake);
    }

    /**
     * A TLS connection run by an {@link javax.net.ssl.SSLEngine} over the plain socket (so that the transport sees
     * every TLS record itself, the peer's close_notify included), handshake done, reads timing out after the read
     * timeout; addresses tried as {@link #open(HostPort)} does.
     */
    EngineTlsConnection openEngine(HostPort target) throws TargetRefused, IOException {
        return open(target, (socket, host, port) -> EngineTlsConnection.handshake(socket,
                tls.clientEngine(host, port)));
    }

    /** Layers TLS over a connected plain socket, completing the handshake; on failure the socket may be left open. */
    @FunctionalInterface
    interface TlsLayer<T> {
        T over(Socket connected, String host, int port) throws IOException;
    }

    private <T> T open(HostPort target, TlsLayer<T> layer) throws TargetRefused, IOException {
        Connected connected = connect(target);
        try {
            return layer.over(connected.socket(), target.host(), target.port());
        } catch (IOException e) {
            closeQuietly(connected.socket());
            throw new IOException("TLS with " + connected.where() + ": " + describe(e), e);
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
    Connected connect(HostPort target) throws TargetRefused, IOException {
        List<InetAddress> addresses = guard.check(target);
        IOException last = null;
        for (InetAddress address : addresses) {
            String where = (address.getAddress().length == 16 ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress()) + ":" + target.port();
            Socket socket = sockets.createSocket();
            try {
                socket.connect(new InetSocketAddress(address, target.port()), connectMillis);
            } catch (IOException e) {
                closeQuietly(socket);
                last = new IOException("connect to " + where + ": " + describe(e), e);
                continue;
            }
            try {
                socket.setSoTimeout(readMillis);
            } catch (IOException e) {
                closeQuietly(socket);
                throw new IOException("TLS with " + where + ": " + describe(e), e);
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
