package io.stenographer.adapters.streaming;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A CIDR block ({@code 10.0.0.0/8}, {@code ::1/128}) of the SSRF guard's allow-list. */
public record NetworkBlock(byte[] network, int prefix) {

    // Literals only: a block written as a name would be resolved, which is what the guard is there to control.
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public NetworkBlock {
        network = network.clone();
        if ((network.length != 4 && network.length != 16) || prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("a network block is 4 or 16 bytes with a prefix that fits");
        }
    }

    /** Parses {@code address/prefix}; the address must have no bits set past the prefix. */
    public static NetworkBlock parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a CIDR block (address/prefix)");
        }
        String address = trimmed.substring(0, slash);
        if (!V4.matcher(address).matches() && !V6.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + trimmed + "': the address must be an IPv4 or IPv6 literal");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + trimmed + "': not an IP address");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + trimmed + "': the prefix must be a number");
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("'" + trimmed + "': the prefix must be in 0.." + bytes.length * 8);
        }
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("'" + trimmed + "' has address bits set past its prefix /" + prefix);
            }
        }
        return new NetworkBlock(bytes, prefix);
    }

    /** A comma-separated list ({@code "127.0.0.0/8,::1/128"}); blank means none. */
    public static List<NetworkBlock> parseList(String text) {
        List<NetworkBlock> blocks = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    blocks.add(parse(part));
                }
            }
        }
        return List.copyOf(blocks);
    }

    /** Whether the address (4 or 16 bytes) lies in the block; an IPv4 block never holds an IPv6 address. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkBlock block && block.prefix == prefix
                && java.util.Arrays.equals(block.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
