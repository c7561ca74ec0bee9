package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.adapters.streaming.TargetAddressGuard.TargetRefused;
import io.stenographer.domain.sink.HostPort;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSRF guard on a stub resolver: no name is ever looked up in DNS and no connection is made; the guard only
 * sees the addresses the stub answers.
 */
class ResolvingAddressGuardTest {

    /** Names to addresses, as a DNS server would answer them; records every name asked. */
    static final class StubResolver implements HostResolver {
        final Map<String, List<InetAddress>> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        StubResolver answer(String host, InetAddress... addresses) {
            answers.put(host, List.of(addresses));
            return this;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            asked.add(host);
            List<InetAddress> found = answers.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found.toArray(InetAddress[]::new);
        }
    }

    /** An address from its literal, without DNS; an IPv6 form of an IPv4 address stays an IPv6 address. */
    static InetAddress ip(String literal) {
        try {
            InetAddress parsed = InetAddress.getByName(literal); // a literal is parsed, never resolved
            if (literal.contains(":") && parsed.getAddress().length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static List<InetAddress> check(ResolvingAddressGuard guard, String host) throws TargetRefused {
        return guard.check(new HostPort(host, 443));
    }

    private static String refusal(String address) {
        StubResolver resolver = new StubResolver().answer("hooks.example.com", ip(address));
        ResolvingAddressGuard guard = new ResolvingAddressGuard(List.of(), resolver);
        try {
            check(guard, "hooks.example.com");
            return null;
        } catch (TargetRefused e) {
            return e.getMessage();
        }
    }

    @Test
    void aPrivateAddressIsRefusedWithWhatItIsAndHowToAllowIt() {
        assertThat(refusal("10.0.0.5")).isEqualTo("host hooks.example.com resolves to a private address "
                + "(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); allow its network with "
                + "stenographer.streams.allowed-networks");
    }

    @Test
    void theCloudMetadataAddressIsNamed() {
        assertThat(refusal("169.254.169.254")).isEqualTo("host hooks.example.com resolves to the "
                + "cloud metadata address (link-local, 169.254.0.0/16); allow its network with "
                + "stenographer.streams.allowed-networks");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1 | a loopback address",
        "127.255.0.9 | a loopback address",
        "0.0.0.0 | the any-local address",
        "0.1.2.3 | a 'this network' address",
        "10.255.255.255 | a private address",
        "172.16.0.1 | a private address",
        "172.31.255.254 | a private address",
        "192.168.1.1 | a private address",
        "100.64.0.1 | a carrier-grade NAT address",
        "100.127.255.254 | a carrier-grade NAT address",
        "169.254.0.1 | a link-local address",
        "192.0.0.170 | an IETF protocol assignment address",
        "198.18.0.1 | a benchmarking address",
        "224.0.0.251 | a multicast address",
        "239.255.255.250 | a multicast address",
        "255.255.255.255 | the broadcast address",
        "240.0.0.1 | a reserved address",
        ":: | the any-local address",
        "::1 | the loopback address",
        "fe80::1 | a link-local address (fe80::/10)",
        "febf:ffff::1 | a link-local address (fe80::/10)",
        "fec0::1 | a site-local address",
        "fc00::1 | a unique-local address",
        "fd00:ec2::254 | a unique-local address",
        "ff02::1 | a multicast address (ff00::/8)",
        "100::1 | a discard-only address",
        "64:ff9b:1::a | a local-use NAT64 address",
        "::ffff:10.0.0.1 | a private address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), carried in an IPv6 address "
                + "(IPv4-mapped, ::ffff:0:0/96)",
        "::ffff:169.254.169.254 | the cloud metadata address (link-local, 169.254.0.0/16), carried in an IPv6 address "
                + "(IPv4-mapped",
        "::ffff:127.0.0.1 | a loopback address (127.0.0.0/8), carried in an IPv6 address (IPv4-mapped",
        "::a00:1 | a private address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), carried in an IPv6 address "
                + "(IPv4-compatible",
        "64:ff9b::a9fe:a9fe | the cloud metadata address (link-local, 169.254.0.0/16), carried in an IPv6 address "
                + "(NAT64",
        "2002:a00:1::1 | a private address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), carried in an IPv6 address "
                + "(6to4",
        "2001:0:4136:e378:8000:63bf:f5ff:fffe | a private address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), "
                + "carried in an IPv6 address (Teredo",
    })
    void internalAddressesAreRefused(String address, String what) {
        assertThat(refusal(address)).as(address).isNotNull()
                .startsWith("host hooks.example.com resolves to " + what);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
        "100.63.255.255", "169.255.0.1", "192.0.2.10", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void publicAddressesPass(String address) {
        assertThat(refusal(address)).as(address).isNull();
    }

    @Test
    void oneRefusedAddressRefusesTheWholeHost() throws TargetRefused {
        StubResolver resolver = new StubResolver().answer("mixed.example.com", ip("93.184.216.34"), ip("10.1.2.3"))
                .answer("public.example.com", ip("93.184.216.34"), ip("2606:4700:4700::1111"));
        ResolvingAddressGuard guard = new ResolvingAddressGuard(List.of(), resolver);
        assertThatThrownBy(() -> check(guard, "mixed.example.com")).isInstanceOf(TargetRefused.class)
                .hasMessageStartingWith("host mixed.example.com resolves to a private address");
        assertThat(check(guard, "public.example.com")).containsExactly(ip("93.184.216.34"),
                ip("2606:4700:4700::1111"));
    }

    @Test
    void theAllowListPermitsLoopbackAndNothingElse() throws TargetRefused {
        StubResolver resolver = new StubResolver().answer("localhost", ip("127.0.0.1"), ip("::1"))
                .answer("mapped.test", ip("::ffff:127.0.0.1")).answer("internal.test", ip("10.0.0.1"));
        ResolvingAddressGuard guard = new ResolvingAddressGuard(NetworkBlock.parseList("127.0.0.0/8, ::1/128"),
                resolver);
        assertThat(check(guard, "localhost")).containsExactly(ip("127.0.0.1"), ip("::1"));
        assertThat(check(guard, "mapped.test")).hasSize(1); // judged by the IPv4 address it reaches
        assertThatThrownBy(() -> check(guard, "internal.test")).hasMessageContaining("a private address");
    }

    @Test
    void anIpLiteralIsJudgedAsItself() {
        StubResolver resolver = new StubResolver().answer("10.0.0.7", ip("10.0.0.7"));
        ResolvingAddressGuard guard = new ResolvingAddressGuard(List.of(), resolver);
        assertThatThrownBy(() -> check(guard, "10.0.0.7")).hasMessage("address 10.0.0.7 is a private address "
                + "(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); allow its network with "
                + "stenographer.streams.allowed-networks");
    }

    @Test
    void aNameThatDoesNotResolveIsRefusedAndOnlyTheTargetIsAsked() {
        StubResolver resolver = new StubResolver().answer("empty.example.com");
        ResolvingAddressGuard guard = new ResolvingAddressGuard(List.of(), resolver);
        assertThatThrownBy(() -> check(guard, "nowhere.example.com"))
                .hasMessage("host nowhere.example.com does not resolve");
        assertThatThrownBy(() -> check(guard, "empty.example.com"))
                .hasMessage("host empty.example.com resolves to no address");
        assertThat(resolver.asked).containsExactly("nowhere.example.com", "empty.example.com");
    }

    @Test
    void networkBlocksAreLiteralsWithACleanPrefix() {
        assertThat(NetworkBlock.parseList("127.0.0.0/8,::1/128,")).extracting(NetworkBlock::toString)
                .containsExactly("127.0.0.0/8", "0:0:0:0:0:0:0:1/128");
        assertThat(NetworkBlock.parseList(" ")).isEmpty();
        assertThat(NetworkBlock.parse("10.0.0.0/8").contains(ip("10.200.0.1").getAddress())).isTrue();
        assertThat(NetworkBlock.parse("10.0.0.0/8").contains(ip("11.0.0.1").getAddress())).isFalse();
        assertThat(NetworkBlock.parse("fd00::/8").contains(ip("fd12::1").getAddress())).isTrue();
        assertThatThrownBy(() -> NetworkBlock.parse("10.0.0.1/8"))
                .hasMessage("'10.0.0.1/8' has address bits set past its prefix /8");
        assertThatThrownBy(() -> NetworkBlock.parse("localhost/8"))
                .hasMessage("'localhost/8': the address must be an IPv4 or IPv6 literal");
        assertThatThrownBy(() -> NetworkBlock.parse("10.0.0.0/33"))
                .hasMessage("'10.0.0.0/33': the prefix must be in 0..32");
        assertThatThrownBy(() -> NetworkBlock.parse("10.0.0.0")).hasMessageContaining("is not a CIDR block");
    }
}
