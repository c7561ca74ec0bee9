package io.stenographer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on the loopback interface, for processes a test starts. A port is free when asked;
 * another process may take it before the test uses it, so ask right before starting the process.
 * All ports of one call are distinct.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** One free port on 127.0.0.1. */
    public static int freePort() {
        return freePorts(1)[0];
    }

    /** {@code count} distinct free ports on 127.0.0.1. */
    public static int[] freePorts(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                // Held open until all are chosen, so the kernel hands out distinct ports.
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a listening socket we own does not fail in practice
                }
            }
        }
    }
}
