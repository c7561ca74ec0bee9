package io.stenographer.adapters.streaming;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;

/**
 * Plain sockets that record every address a transport connects to and refuse, without any packet sent, any address
 * that is not loopback: the tests' proof that nothing outside this machine is ever reached.
 */
final class RecordingSockets extends SocketFactory {

    private final List<InetSocketAddress> connects = new ArrayList<>();

    synchronized List<InetSocketAddress> connects() {
        return List.copyOf(connects);
    }

    private synchronized void record(InetSocketAddress address) {
        connects.add(address);
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                InetSocketAddress address = (InetSocketAddress) endpoint;
                record(address);
                if (address.isUnresolved() || !address.getAddress().isLoopbackAddress()) {
                    throw new AssertionError("a test connected to " + address + ", not a loopback address");
                }
                super.connect(endpoint, timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("transports connect unconnected sockets to checked addresses");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("transports connect unconnected sockets to checked addresses");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException("transports connect unconnected sockets to checked addresses");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException("transports connect unconnected sockets to checked addresses");
    }
}
