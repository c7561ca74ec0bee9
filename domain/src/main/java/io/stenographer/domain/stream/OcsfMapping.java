package io.stenographer.domain.stream;

import io.stenographer.domain.report.ActionPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's table from actions to OCSF classes: the first rule whose pattern matches the action wins, and an
 * action no rule matches is API Activity (6003). Text form, one rule a line ({@code #} comments and blank lines
 * skipped): {@code <action pattern> <class uid>}, for example {@code *.login 3002}.
 */
public record OcsfMapping(List<Rule> rules) {

    public static final int MAX_RULES = 256;

    /** Authentication for log-ins and log-outs, Account Change for {@code account.*}, API Activity otherwise. */
    public static final OcsfMapping DEFAULT = parse("""
            *.login 3002
            *.logon 3002
            *.logout 3002
            *.logoff 3002
            account.* 3001
            """);

    public record Rule(ActionPattern pattern, OcsfClass ocsfClass) {
        public Rule {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(ocsfClass, "ocsfClass");
        }
    }

    public OcsfMapping {
        rules = List.copyOf(rules);
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("an OCSF mapping has at most " + MAX_RULES + " rules, not "
                    + rules.size());
        }
    }

    /** The class of an action. */
    public OcsfClass classOf(String action) {
        for (Rule rule : rules) {
            if (rule.pattern().matches(action)) {
                return rule.ocsfClass();
            }
        }
        return OcsfClass.API_ACTIVITY;
    }

    /** Reads the text form; a wrong line is an IllegalArgumentException naming it. */
    public static OcsfMapping parse(String text) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("OCSF mapping line " + (i + 1) + ": expected '<action pattern> "
                        + "<class uid>'");
            }
            try {
                rules.add(new Rule(new ActionPattern(parts[0]), OcsfClass.ofUid(Integer.parseInt(parts[1]))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("OCSF mapping line " + (i + 1) + ": class uid " + parts[1]
                        + " is not a number");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("OCSF mapping line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new OcsfMapping(rules);
    }
}
