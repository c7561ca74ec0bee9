package io.stenographer.adapters.streaming;

import io.stenographer.domain.sink.HostPort;
import java.net.InetAddress;
import java.util.List;

/**
 * The SSRF guard: resolves a sink's host at connect time and refuses it unless every address it resolves to may be
 * reached. Transports connect only to the addresses returned, so a name cannot resolve to a checked address for the
 * check and to the service's own infrastructure for the connection.
 */
public interface TargetAddressGuard {

    /**
     * The addresses to connect to, all allowed.
     *
     * @throws TargetRefused naming the host and the refused address (loopback, link-local, private...), or the
     *                       resolution failure
     */
    List<InetAddress> check(HostPort target) throws TargetRefused;

    final class TargetRefused extends Exception {
        public TargetRefused(String message) {
            super(message);
        }
    }
}
