package io.stenographer.adapters.streaming;

import io.stenographer.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS receiver that never finishes answering: it reads everything it is sent and, from the moment it accepts,
 * writes {@code answer} one byte every 100 ms, forever. Every read of its client returns within the read timeout, so
 * only a bound on the whole attempt ends the client's wait.
 */
final class TricklingTlsServer implements AutoCloseable {

    private final SSLServerSocket server;
    private final CountDownLatch over = new CountDownLatch(1);

    TricklingTlsServer(TestCertificates.Server certificate, String answer) throws IOException {
        server = (SSLServerSocket) certificate.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try (Socket socket = server.accept()) {
                Thread drain = new Thread(() -> drain(socket), "trickling-receiver-drain");
                drain.setDaemon(true);
                drain.start();
                OutputStream out = socket.getOutputStream();
                byte[] bytes = answer.getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; !over.await(100, TimeUnit.MILLISECONDS); i++) {
                    out.write(bytes[Math.min(i, bytes.length - 1)]);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client closed the connection, or the test is over
            }
        }, "trickling-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void drain(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read(new byte[8192]) >= 0) {
                // keep reading, so the client's writes never block
            }
        } catch (IOException e) {
            // closed
        }
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        over.countDown();
        server.close();
    }
}
