package io.stenographer.domain.event;

import java.util.regex.Pattern;

/** Syntax-only IP literal checks; never resolves names. */
final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

    private IpAddresses() {
    }

    static boolean isLiteral(String text) {
        return text.length() <= 45 && (IPV4.matcher(text).matches() || isIpv6(text));
    }

    private static boolean isIpv6(String text) {
        if (!text.contains(":")) {
            return false;
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String body = text;
        int groupsNeeded = 8;
        int lastColon = body.lastIndexOf(':');
        String tail = body.substring(lastColon + 1);
        if (tail.contains(".")) {
            if (!IPV4.matcher(tail).matches()) {
                return false;
            }
            body = body.substring(0, lastColon + 1) + "0:0";
        }
        if (doubleColon >= 0) {
            String[] halves = body.split("::", -1);
            int groups = countGroups(halves[0]) + countGroups(halves[1]);
            return groups >= 0 && groups < groupsNeeded;
        }
        return countGroups(body) == groupsNeeded;
    }

    /** Number of valid hex groups in a colon-separated run, or -1 when one is malformed. */
    private static int countGroups(String run) {
        if (run.isEmpty()) {
            return 0;
        }
        String[] groups = run.split(":", -1);
        for (String group : groups) {
            if (!HEX_GROUP.matcher(group).matches()) {
                return -100;
            }
        }
        return groups.length;
    }
}
