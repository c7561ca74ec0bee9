package io.stenographer.adapters.streaming;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS run by an {@link SSLEngine} over a connected plain socket, for a transport that must tell the peer's TLS
 * close_notify from a bare TCP end of stream. An {@link javax.net.ssl.SSLSocket} cannot: unless the JVM-wide
 * {@code com.sun.net.ssl.requireCloseNotify} is set, it reports a FIN without close_notify as an ordinary end of
 * stream, so a peer that crashed or gave up would look as if it had closed cleanly. Here only the engine's own report
 * of the peer's close_notify ends {@link #closeAndAwaitPeerClose(int)} normally; the end of the raw stream before it
 * is an error.
 *
 * <p>Blocking, one thread; reads time out after the socket's SoTimeout. Closing closes the socket.
 */
final class EngineTlsConnection implements Closeable {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Socket socket;
    private final SSLEngine engine;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    /** Raw bytes read and not yet unwrapped, in read mode (position..limit). */
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;

    private EngineTlsConnection(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.engine = engine;
        this.rawIn = socket.getInputStream();
        this.rawOut = socket.getOutputStream();
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet).flip();
        this.netOut = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /**
     * Runs the client handshake of {@code engine} over {@code connected}. On failure the engine's alert, if any, is
     * sent on a best-effort basis and the socket is left for the caller to close.
     */
    static EngineTlsConnection handshake(Socket connected, SSLEngine engine) throws IOException {
        EngineTlsConnection connection = new EngineTlsConnection(connected, engine);
        try {
            connection.runHandshake();
        } catch (SSLException e) {
            connection.flushAlert();
            throw e;
        }
        return connection;
    }

    private void runHandshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
            SSLEngineResult result;
            switch (status) {
                case NEED_TASK -> {
                    runTasks();
                    status = engine.getHandshakeStatus();
                    continue;
                }
                case NEED_WRAP -> result = wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    result = unwrap();
                    if (result == null) {
                        throw new SSLHandshakeException("the receiver closed the connection during the handshake");
                    }
                }
                default -> throw new SSLHandshakeException("unexpected handshake status " + status);
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLHandshakeException("the receiver closed TLS during the handshake");
            }
            status = result.getHandshakeStatus();
        }
    }

    /** Sends the alert a failed engine has to send, if it can; a second failure changes nothing. */
    private void flushAlert() {
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                wrap(EMPTY);
            }
        } catch (IOException | RuntimeException e) {
            // the first failure is the one reported
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // inline: one connection, one thread
        }
    }

    /** Application data out, through the engine; buffer above it to make full records. */
    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer data = ByteBuffer.wrap(bytes, offset, length);
                while (data.hasRemaining()) {
                    SSLEngineResult result = wrap(data);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS was closed while sending");
                    }
                    if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                }
            }
        };
    }

    /**
     * Sends our close_notify, then reads until the peer's close_notify, discarding what comes before it (application
     * data and post-handshake messages such as TLS 1.3 session tickets) up to {@code maxDiscardedBytes} raw bytes.
     *
     * @throws IOException when the raw stream ends first (a FIN without close_notify, which acknowledges nothing),
     *                     on a reset, a timeout, a TLS alert, or more than {@code maxDiscardedBytes}
     */
    void closeAndAwaitPeerClose(int maxDiscardedBytes) throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            SSLEngineResult result = wrap(EMPTY);
            if (result.bytesProduced() == 0 && result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
        long discarded = 0;
        while (!engine.isInboundDone()) {
            SSLEngineResult result = unwrap();
            if (result == null) {
                try {
                    engine.closeInbound(); // throws: the stream ended before the peer's close_notify
                } catch (SSLException truncated) {
                    throw new IOException("the receiver closed the connection without TLS close_notify", truncated);
                }
                throw new IOException("the receiver closed the connection without TLS close_notify");
            }
            discarded += result.bytesConsumed();
            if (discarded > maxDiscardedBytes) {
                throw new IOException("the receiver sent more than " + maxDiscardedBytes
                        + " bytes instead of closing the connection");
            }
            HandshakeStatus status = result.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                wrap(EMPTY);
            }
        }
    }

    /** Wraps from {@code source} (as much as one record takes) and writes what the engine produced. */
    private SSLEngineResult wrap(ByteBuffer source) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult result = engine.wrap(source, netOut);
            switch (result.getStatus()) {
                case BUFFER_OVERFLOW -> netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2,
                        engine.getSession().getPacketBufferSize()));
                case BUFFER_UNDERFLOW -> throw new SSLException("the engine reported an underflow on wrap");
                default -> {
                    netOut.flip();
                    if (netOut.hasRemaining()) {
                        rawOut.write(netOut.array(), netOut.position(), netOut.remaining());
                        rawOut.flush();
                    }
                    return result;
                }
            }
        }
    }

    /**
     * Unwraps one step from the raw bytes, reading more from the socket when the engine needs them; application data
     * produced is dropped (this transport expects none). Null when the raw stream ended before a whole record.
     */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            appIn.clear();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            switch (result.getStatus()) {
                case BUFFER_OVERFLOW -> appIn = ByteBuffer.allocate(Math.max(appIn.capacity() * 2,
                        engine.getSession().getApplicationBufferSize()));
                case BUFFER_UNDERFLOW -> {
                    if (!readMore()) {
                        return null;
                    }
                }
                default -> {
                    HandshakeStatus next = result.getHandshakeStatus();
                    if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                            && result.getStatus() == SSLEngineResult.Status.OK && !engine.isInboundDone()
                            && next != HandshakeStatus.NEED_TASK && next != HandshakeStatus.NEED_WRAP
                            && next != HandshakeStatus.FINISHED) {
                        if (!readMore()) { // nothing usable buffered: the engine waits for more
                            return null;
                        }
                        continue;
                    }
                    return result;
                }
            }
        }
    }

    /** Reads more raw bytes after those buffered; false at the end of the stream. */
    private boolean readMore() throws IOException {
        int packet = engine.getSession().getPacketBufferSize();
        if (netIn.capacity() < packet || netIn.remaining() == netIn.capacity()) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(netIn.capacity() * 2, packet));
            larger.put(netIn).flip();
            netIn = larger;
        }
        netIn.compact();
        try {
            int read = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
            if (read < 0) {
                return false;
            }
            netIn.position(netIn.position() + read);
            return true;
        } finally {
            netIn.flip();
        }
    }

    @Override
    public void close() {
        TargetConnector.closeQuietly(socket);
    }
}
