package io.stenographer.adapters.streaming;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into addresses; tests pass a stub, so no test ever resolves or reaches a real host. */
@FunctionalInterface
public interface HostResolver {

    /** The system resolver ({@link InetAddress#getAllByName}); an IP literal comes back as itself, without DNS. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
