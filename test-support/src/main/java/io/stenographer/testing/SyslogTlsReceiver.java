package io.stenographer.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A syslog-over-TLS receiver (RFC 5425) with a strict RFC 5424 parser, for tests that must show a sender writes
 * exactly what the RFCs allow.
 *
 * <p>Framing: {@code MSG-LEN SP SYSLOG-MSG}, MSG-LEN digits without a leading zero, SYSLOG-MSG exactly that long and
 * at most the configured maximum. Each SYSLOG-MSG is parsed by {@link #parse(byte[])}: PRI 0..191 (no leading
 * zero), VERSION 1, an RFC 3339 TIMESTAMP within RFC 5424's limits (upper-case T and Z, at most 6 fraction digits,
 * no leap second, a real date), HOSTNAME / APP-NAME / PROCID / MSGID of printable US-ASCII within 255 / 48 / 128 /
 * 32 characters, structured data per the ABNF (SD-IDs unique in a message, either IANA-registered or
 * {@code name@number}, PARAM-VALUE UTF-8 with '"', '\' and ']' escaped), and a MSG that, after a BOM, is valid
 * UTF-8.
 *
 * <p>The first violation on a connection is recorded and the connection reset (TCP RST, no close_notify), so the
 * sender cannot take it for an acknowledgement. A connection that ends with the client's close_notify at a frame
 * boundary is closed cleanly (close_notify back) after every message read was parsed and recorded: that close is
 * what a sender waiting for it takes as the acknowledgement. {@link #stop()} and {@link #start()} take the receiver
 * down (resetting open connections) and bring it back on the same port.
 *
 * <p>Two modes play a receiver that crashes or gives up and so closes TCP (a FIN) without TLS close_notify, which
 * no sender may take for an acknowledgement: {@link #finInsteadOfCloseNotify()} after reading everything up to the
 * client's close_notify (TLS 1.3 only: on TLS 1.2 the JDK's socket answers close_notify in the read that meets it),
 * and {@link #finAfterMessages(int)} right after the n-th message of a connection (any TLS version; it then reads
 * and records the rest, so that nothing unread turns its close into a reset).
 */
public final class SyslogTlsReceiver implements AutoCloseable {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65_536;
    private static final int MAX_LENGTH_DIGITS = 9;
    private static final Set<String> REGISTERED_SD_IDS = Set.of("timeQuality", "origin", "meta");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d{1,6})?(Z|[+-](\\d{2}):(\\d{2}))");
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** One SD-ELEMENT: its SD-ID and its parameters in order (names may repeat, as RFC 5424 allows). */
    public record SdElement(String id, List<Map.Entry<String, String>> params) {

        /** The first value of a parameter, or null. */
        public String param(String name) {
            return params.stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue).findFirst()
                    .orElse(null);
        }
    }

    /** A parsed SYSLOG-MSG; {@code msg} without its BOM, {@code null} when the message has none. */
    public record Message(int facility, int severity, String timestamp, String hostname, String appName,
            String procId, String msgId, List<SdElement> structuredData, boolean bom, byte[] msg, int length) {

        /** The MSG as UTF-8 text (without the BOM). */
        public String text() {
            return msg == null ? null : new String(msg, StandardCharsets.UTF_8);
        }

        public SdElement element(String id) {
            return structuredData.stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
        }
    }

    /** A SYSLOG-MSG or frame that breaks RFC 5424 / 5425. */
    public static final class Violation extends Exception {
        public Violation(String message) {
            super(message);
        }
    }

    private final SSLContext tls;
    private final int maxMessageBytes;
    private final String[] protocols;
    private int port;

    private final List<Message> messages = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private int cleanCloses;
    private int finCloses;
    private boolean finInsteadOfCloseNotify;
    private int finAfterMessages = -1;
    private int droppedConnections;
    private ServerSocket listener;
    private Thread acceptor;
    private final Set<Socket> open = new HashSet<>();

    private SyslogTlsReceiver(SSLContext tls, int port, int maxMessageBytes, String[] protocols) {
        this.tls = tls;
        this.port = port;
        this.maxMessageBytes = maxMessageBytes;
        this.protocols = protocols.clone();
    }

    /** Starts on a free port with the default maximum message size, offering TLS 1.2 and 1.3. */
    public static SyslogTlsReceiver start(TestCertificates.Server certificate) {
        return start(certificate, 0, DEFAULT_MAX_MESSAGE_BYTES, "TLSv1.3", "TLSv1.2");
    }

    /** Starts on {@code port} (0: a free one); a SYSLOG-MSG longer than {@code maxMessageBytes} is a violation. */
    public static SyslogTlsReceiver start(TestCertificates.Server certificate, int port, int maxMessageBytes,
            String... protocols) {
        SyslogTlsReceiver receiver = new SyslogTlsReceiver(certificate.serverContext(), port, maxMessageBytes,
                protocols);
        receiver.start();
        return receiver;
    }

    /** (Re)starts listening, on the port it had if it ran before. */
    public synchronized void start() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true); // a restart binds the same port while old connections are in TIME_WAIT
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            listener = socket;
            port = socket.getLocalPort();
            acceptor = new Thread(() -> accept(socket), "syslog-receiver-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** Stops listening and resets every open connection, as a crash would; the port is kept for {@link #start()}. */
    public void stop() {
        Thread stopping;
        synchronized (this) {
            if (listener == null) {
                return;
            }
            closeQuietly(listener);
            listener = null;
            for (Socket socket : open) {
                reset(socket);
            }
            open.clear();
            stopping = acceptor;
            acceptor = null;
        }
        try {
            stopping.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized int port() {
        return port;
    }

    /** Every message parsed, in arrival order (over all connections). */
    public synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    /** Every violation, each naming what broke the RFCs. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Connections that ended with the client's close_notify at a frame boundary, answered with ours. */
    public synchronized int cleanCloses() {
        return cleanCloses;
    }

    /**
     * From now on a connection that ends with the client's close_notify at a frame boundary is answered with a bare
     * FIN (the plain socket closed, no close_notify, no reset) after every message read was recorded. On TLS 1.3
     * only: TLS 1.2's JDK socket has already answered with its close_notify when it reads the client's.
     */
    public synchronized SyslogTlsReceiver finInsteadOfCloseNotify() {
        finInsteadOfCloseNotify = true;
        return this;
    }

    /**
     * From now on each connection sends a FIN without close_notify (TCP output shut down under TLS) right after its
     * {@code count}-th message, then goes on reading and recording until the client's close_notify or the end of the
     * stream and closes the plain socket, never with close_notify or a reset.
     */
    public synchronized SyslogTlsReceiver finAfterMessages(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1 (the handshake comes first), was " + count);
        }
        finAfterMessages = count;
        return this;
    }

    /** Connections that ended with a FIN and no close_notify from this receiver, in either FIN mode. */
    public synchronized int finCloses() {
        return finCloses;
    }

    /** Waits until {@code count} connections were closed with a bare FIN. */
    public synchronized void awaitFinCloses(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (finCloses < count) {
            waitUntil(deadline, () -> finCloses + " FIN closes, not " + count + ", in " + timeout);
        }
    }

    /** Connections that ended otherwise (a reset, no close_notify, a half frame), violations aside. */
    public synchronized int droppedConnections() {
        return droppedConnections;
    }

    /** Waits until {@code count} messages were parsed. */
    public synchronized List<Message> awaitMessages(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < count) {
            waitUntil(deadline, () -> "parsed " + messages.size() + " messages, not " + count + ", in " + timeout
                    + "; violations: " + violations);
        }
        return List.copyOf(messages);
    }

    /** Waits until {@code count} connections were closed cleanly. */
    public synchronized void awaitCleanCloses(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (cleanCloses < count) {
            waitUntil(deadline, () -> cleanCloses + " clean closes, not " + count + ", in " + timeout);
        }
    }

    private void waitUntil(long deadline, Supplier<String> timedOut) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IllegalStateException(timedOut.get());
        }
        try {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket plain;
            try {
                plain = socket.accept();
            } catch (IOException e) {
                return; // stopped
            }
            synchronized (this) {
                if (listener != socket) {
                    reset(plain);
                    return;
                }
                open.add(plain);
            }
            Thread connection = new Thread(() -> serve(plain), "syslog-connection-" + plain.getPort());
            connection.setDaemon(true);
            connection.start();
        }
    }

    private void serve(Socket plain) {
        boolean finAtEnd;
        int finAfter;
        synchronized (this) {
            finAtEnd = finInsteadOfCloseNotify;
            finAfter = finAfterMessages;
        }
        boolean finned = false;
        try {
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
            socket.setUseClientMode(false);
            socket.setEnabledProtocols(protocols);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int read = 0;
            while (true) {
                byte[] frame;
                try {
                    frame = frame(in);
                } catch (Violation v) {
                    violation(plain, v.getMessage());
                    return;
                } catch (IOException e) {
                    if (finned) {
                        break; // TLS 1.2 failing to answer the client's close_notify on our shut-down output
                    }
                    throw e;
                }
                if (frame == null) {
                    break; // close_notify at a frame boundary
                }
                Message message;
                try {
                    message = parse(frame);
                } catch (Violation v) {
                    violation(plain, v.getMessage());
                    return;
                }
                synchronized (this) {
                    messages.add(message);
                    notifyAll();
                }
                if (++read == finAfter) {
                    plain.shutdownOutput(); // a FIN under TLS: no close_notify
                    finned = true;
                }
            }
            if (finned || finAtEnd) {
                synchronized (this) {
                    finCloses++;
                    open.remove(plain);
                    notifyAll();
                }
                closeQuietly(plain); // a FIN (no linger 0: no reset), and no close_notify
                return;
            }
            synchronized (this) {
                cleanCloses++;
                open.remove(plain);
                notifyAll();
            }
            socket.close(); // our close_notify: everything read was parsed and recorded
        } catch (IOException e) {
            synchronized (this) {
                droppedConnections++;
                open.remove(plain);
            }
            reset(plain);
        }
    }

    private void violation(Socket plain, String what) {
        synchronized (this) {
            violations.add(what);
            open.remove(plain);
            notifyAll();
        }
        reset(plain);
    }

    /** The next SYSLOG-MSG, or null at the end of the stream between frames. */
    private byte[] frame(InputStream in) throws IOException, Violation {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        if (first < '1' || first > '9') {
            throw new Violation("MSG-LEN must start with a digit 1-9, found byte " + first);
        }
        long length = first - '0';
        int digits = 1;
        int b;
        while ((b = in.read()) != ' ') {
            if (b < '0' || b > '9') {
                throw new Violation(b < 0 ? "the stream ended inside MSG-LEN"
                        : "MSG-LEN must be digits followed by one SP, found byte " + b);
            }
            if (++digits > MAX_LENGTH_DIGITS) {
                throw new Violation("MSG-LEN has more than " + MAX_LENGTH_DIGITS + " digits");
            }
            length = length * 10 + (b - '0');
        }
        if (length > maxMessageBytes) {
            throw new Violation("MSG-LEN " + length + " is more than the maximum " + maxMessageBytes);
        }
        byte[] message = in.readNBytes((int) length);
        if (message.length != length) {
            throw new Violation("the stream ended " + (length - message.length) + " bytes into a " + length
                    + "-byte message");
        }
        return message;
    }

    /** Parses one SYSLOG-MSG strictly (RFC 5424 section 6). */
    public static Message parse(byte[] bytes) throws Violation {
        Cursor c = new Cursor(bytes);
        c.expect('<', "PRI must start with '<'");
        int priStart = c.at;
        while (c.more() && Character.isDigit(c.peek())) {
            c.at++;
        }
        String pri = c.text(priStart, c.at);
        if (pri.isEmpty() || pri.length() > 3 || (pri.length() > 1 && pri.charAt(0) == '0')) {
            throw new Violation("PRIVAL must be 1 to 3 digits without a leading zero, was '" + pri + "'");
        }
        int prival = Integer.parseInt(pri);
        if (prival > 191) {
            throw new Violation("PRIVAL " + prival + " is over 191");
        }
        c.expect('>', "PRI must end with '>'");
        c.expect('1', "VERSION must be 1");
        if (c.more() && Character.isDigit(c.peek())) {
            throw new Violation("VERSION must be 1");
        }
        c.expect(' ', "VERSION must be followed by SP");
        String timestamp = c.field("TIMESTAMP", Integer.MAX_VALUE);
        if (!timestamp.equals("-")) {
            checkTimestamp(timestamp);
        }
        String hostname = c.field("HOSTNAME", 255);
        String appName = c.field("APP-NAME", 48);
        String procId = c.field("PROCID", 128);
        String msgId = c.field("MSGID", 32);
        List<SdElement> sd = new ArrayList<>();
        if (c.more() && c.peek() == '-') {
            c.at++;
        } else {
            Set<String> ids = new HashSet<>();
            do {
                SdElement element = element(c);
                if (!ids.add(element.id())) {
                    throw new Violation("SD-ID " + element.id() + " appears twice in one message");
                }
                sd.add(element);
            } while (c.more() && c.peek() == '[');
        }
        boolean bom = false;
        byte[] msg = null;
        if (c.more()) {
            c.expect(' ', "STRUCTURED-DATA must be followed by SP MSG or end the message");
            msg = Arrays.copyOfRange(bytes, c.at, bytes.length);
            if (msg.length >= 3 && Arrays.equals(Arrays.copyOf(msg, 3), BOM)) {
                bom = true;
                msg = Arrays.copyOfRange(msg, 3, msg.length);
                utf8(msg, "MSG after the BOM");
            }
        }
        return new Message(prival / 8, prival % 8, timestamp, hostname, appName, procId, msgId, List.copyOf(sd), bom,
                msg, bytes.length);
    }

    private static void checkTimestamp(String timestamp) throws Violation {
        Matcher m = TIMESTAMP.matcher(timestamp);
        if (!m.matches()) {
            throw new Violation("TIMESTAMP '" + timestamp + "' is not RFC 3339 as RFC 5424 limits it");
        }
        try {
            LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            throw new Violation("TIMESTAMP '" + timestamp + "' is not a real date");
        }
        if (Integer.parseInt(m.group(4)) > 23 || Integer.parseInt(m.group(5)) > 59
                || Integer.parseInt(m.group(6)) > 59) {
            throw new Violation("TIMESTAMP '" + timestamp + "' is not a real time (leap seconds are not allowed)");
        }
        if (m.group(9) != null && (Integer.parseInt(m.group(9)) > 23 || Integer.parseInt(m.group(10)) > 59)) {
            throw new Violation("TIMESTAMP '" + timestamp + "' has an impossible offset");
        }
    }

    private static SdElement element(Cursor c) throws Violation {
        c.expect('[', "STRUCTURED-DATA must be '-' or start with '['");
        String id = c.sdName("SD-ID");
        int at = id.indexOf('@');
        if (at < 0 ? !REGISTERED_SD_IDS.contains(id)
                : at == 0 || id.indexOf('@', at + 1) >= 0 || !id.substring(at + 1).matches("[0-9]+(\\.[0-9]+)*")) {
            throw new Violation("SD-ID " + id + " is neither IANA-registered nor name@<enterprise number>");
        }
        List<Map.Entry<String, String>> params = new ArrayList<>();
        while (c.more() && c.peek() == ' ') {
            c.at++;
            String name = c.sdName("PARAM-NAME");
            c.expect('=', "PARAM-NAME must be followed by '='");
            c.expect('"', "PARAM-VALUE must be quoted");
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            while (true) {
                if (!c.more()) {
                    throw new Violation("the message ends inside PARAM-VALUE of " + name);
                }
                int b = c.next();
                if (b == '"') {
                    break;
                }
                if (b == ']') {
                    throw new Violation("']' in PARAM-VALUE of " + name + " must be escaped");
                }
                if (b == '\\' && c.more() && (c.peek() == '"' || c.peek() == '\\' || c.peek() == ']')) {
                    b = c.next();
                }
                value.write(b);
            }
            params.add(Map.entry(name, utf8(value.toByteArray(), "PARAM-VALUE of " + name)));
        }
        c.expect(']', "SD-ELEMENT must end with ']'");
        return new SdElement(id, List.copyOf(params));
    }

    private static String utf8(byte[] bytes, String what) throws Violation {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Violation(what + " is not valid UTF-8");
        }
    }

    private static final class Cursor {
        private final byte[] bytes;
        private int at;

        Cursor(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean more() {
            return at < bytes.length;
        }

        int peek() {
            return bytes[at] & 0xff;
        }

        int next() {
            return bytes[at++] & 0xff;
        }

        void expect(char expected, String otherwise) throws Violation {
            if (!more() || peek() != expected) {
                throw new Violation(otherwise + " (at byte " + at + ")");
            }
            at++;
        }

        String text(int from, int to) {
            return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
        }

        /** A header field of printable US-ASCII (or the NILVALUE), then SP. */
        String field(String name, int max) throws Violation {
            int start = at;
            while (more() && peek() != ' ') {
                int b = peek();
                if (b < 33 || b > 126) {
                    throw new Violation(name + " holds byte " + b + ", not printable US-ASCII");
                }
                at++;
            }
            if (at == start) {
                throw new Violation(name + " is empty (use '-' for none)");
            }
            if (at - start > max) {
                throw new Violation(name + " is " + (at - start) + " characters, more than " + max);
            }
            String value = text(start, at);
            expect(' ', name + " must be followed by SP");
            return value;
        }

        /** SD-NAME: 1 to 32 printable US-ASCII except '=', SP, ']' and '"'. */
        String sdName(String what) throws Violation {
            int start = at;
            while (more() && peek() >= 33 && peek() <= 126 && peek() != '=' && peek() != ']' && peek() != '"') {
                at++;
            }
            if (at == start || at - start > 32) {
                throw new Violation(what + " must be 1 to 32 printable characters other than '=', ']', '\"' and SP");
            }
            return text(start, at);
        }
    }

    private static void reset(Socket plain) {
        try {
            plain.setSoLinger(true, 0); // RST: no close_notify, nothing a sender could take for an acknowledgement
        } catch (SocketException e) {
            // already closed
        }
        closeQuietly(plain);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
