package io.stenographer.adapters.streaming;

import io.stenographer.domain.sink.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The SSRF guard: resolves the host when a transport connects and refuses it if any address it resolves to is one
 * the service's own infrastructure may listen on (loopback, any-local, link-local including cloud metadata,
 * private, carrier-grade NAT, unique-local, multicast, broadcast, reserved), unless the allow-list holds it.
 * IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) are judged by the IPv4
 * address they reach.
 *
 * <p>One refused address refuses the whole host: the transport could otherwise be steered to it by a resolver that
 * orders its answers, and a name that points partly inside is a misconfiguration worth an error.
 */
public final class ResolvingAddressGuard implements TargetAddressGuard {

    /** The setting that holds the allow-list (comma-separated CIDR blocks). */
    public static final String ALLOW_SETTING = "stenographer.streams.allowed-networks";

    private final List<NetworkBlock> allowed;
    private final HostResolver resolver;

    public ResolvingAddressGuard(List<NetworkBlock> allowed, HostResolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The guard on the system resolver. */
    public static ResolvingAddressGuard system(List<NetworkBlock> allowed) {
        return new ResolvingAddressGuard(allowed, HostResolver.SYSTEM);
    }

    @Override
    public List<InetAddress> check(HostPort target) throws TargetRefused {
        String host = target.host();
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new TargetRefused("host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new TargetRefused("host " + host + " resolves to no address");
        }
        for (InetAddress address : addresses) {
            byte[] bytes = address.getAddress();
            String why = refusal(bytes);
            if (why != null && !isAllowed(bytes)) {
                // The address a name resolved to stays unsaid: the message reaches the sink's status and its
                // stream.sink.dead event, where a tenant's admin could otherwise map the internal DNS by guessing.
                boolean literal = address.getHostAddress().equals(host);
                throw new TargetRefused((literal ? "address " + host + " is " : "host " + host + " resolves to ")
                        + why + "; allow its network with " + ALLOW_SETTING);
            }
        }
        return List.of(addresses);
    }

    private boolean isAllowed(byte[] address) {
        List<byte[]> forms = new ArrayList<>(embeddedV4(address));
        forms.add(address);
        return forms.stream().anyMatch(form -> allowed.stream().anyMatch(block -> block.contains(form)));
    }

    /** Why an address (4 or 16 bytes) may not be reached without the allow-list, or null when it may. */
    static String refusal(byte[] address) {
        return address.length == 4 ? refusalV4(address) : refusalV6(address);
    }

    private static String refusalV4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        int b3 = a[3] & 0xff;
        if (b0 == 0) {
            return b1 == 0 && b2 == 0 && b3 == 0 ? "the any-local address" : "a 'this network' address (0.0.0.0/8)";
        }
        if (b0 == 127) {
            return "a loopback address (127.0.0.0/8)";
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return "a private address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)";
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return "a carrier-grade NAT address (100.64.0.0/10)";
        }
        if (b0 == 169 && b1 == 254) {
            return b2 == 169 && b3 == 254 ? "the cloud metadata address (link-local, 169.254.0.0/16)"
                    : "a link-local address (169.254.0.0/16)";
        }
        if (b0 == 192 && b1 == 0 && b2 == 0) {
            return "an IETF protocol assignment address (192.0.0.0/24)";
        }
        if (b0 == 198 && (b1 & 0xfe) == 18) {
            return "a benchmarking address (198.18.0.0/15)";
        }
        if (b0 >= 224 && b0 <= 239) {
            return "a multicast address (224.0.0.0/4)";
        }
        if (b0 == 255 && b1 == 255 && b2 == 255 && b3 == 255) {
            return "the broadcast address";
        }
        if (b0 >= 240) {
            return "a reserved address (240.0.0.0/4)";
        }
        return null;
    }

    private static String refusalV6(byte[] a) {
        if (isZero(a, 0, 14) && (a[15] == 0 || a[15] == 1)) {
            return a[15] == 0 ? "the any-local address" : "the loopback address (::1)";
        }
        for (byte[] v4 : embeddedV4(a)) {
            String why = refusalV4(v4);
            if (why != null) {
                return why + ", carried in an IPv6 address (" + embeddingName(a) + ")";
            }
        }
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0xff) {
            return "a multicast address (ff00::/8)";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return "a link-local address (fe80::/10)";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return "a site-local address (fec0::/10)";
        }
        if ((b0 & 0xfe) == 0xfc) {
            return "a unique-local address (fc00::/7, which holds cloud metadata addresses such as fd00:ec2::254)";
        }
        if (b0 == 0x00 && b1 == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b && a[4] == 0 && a[5] == 1) {
            return "a local-use NAT64 address (64:ff9b:1::/48)";
        }
        if (b0 == 0x01 && b1 == 0x00 && isZero(a, 2, 7)) {
            return "a discard-only address (100::/64)";
        }
        return null;
    }

    /** The IPv4 addresses an IPv6 address reaches through a well-known embedding; none for other addresses. */
    static List<byte[]> embeddedV4(byte[] a) {
        if (a.length != 16) {
            return List.of();
        }
        String embedding = embeddingName(a);
        if (embedding == null) {
            return List.of();
        }
        if (embedding.startsWith("6to4")) {
            return List.of(Arrays.copyOfRange(a, 2, 6));
        }
        if (embedding.startsWith("Teredo")) {
            byte[] client = Arrays.copyOfRange(a, 12, 16);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i]; // Teredo stores the client's address inverted
            }
            return List.of(Arrays.copyOfRange(a, 4, 8), client);
        }
        return List.of(Arrays.copyOfRange(a, 12, 16));
    }

    private static String embeddingName(byte[] a) {
        if (isZero(a, 0, 9) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            return "IPv4-mapped, ::ffff:0:0/96";
        }
        if (isZero(a, 0, 11)) { // :: and ::1 are judged before any embedding
            return "IPv4-compatible, ::/96";
        }
        if (a[0] == 0x00 && a[1] == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b && isZero(a, 4, 11)) {
            return "NAT64, 64:ff9b::/96";
        }
        if (a[0] == 0x20 && a[1] == 0x02) {
            return "6to4, 2002::/16";
        }
        if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) {
            return "Teredo, 2001::/32";
        }
        return null;
    }

    private static boolean isZero(byte[] a, int from, int toInclusive) {
        for (int i = from; i <= toInclusive; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
