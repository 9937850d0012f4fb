package dev.sluice.dsn;

import dev.sluice.api.delivery.BounceCategory;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Reads {@code category = regex} lines. Not {@link java.util.Properties}: that format would swallow the
 * backslashes every regex needs and forbids repeating a category. A bad line is reported with its origin and
 * line number and skipped, so one typo does not disable the rest of an operator's rules.
 */
final class RulesParser {

    /** The rules in file order and one message per rejected line. */
    record Result(List<BounceRule> rules, List<String> problems) {

        Result {
            rules = List.copyOf(rules);
            problems = List.copyOf(problems);
        }
    }

    private RulesParser() {
    }

    static Result parse(String origin, BufferedReader reader) throws IOException {
        List<BounceRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String where = origin + " line " + number;
            int eq = trimmed.indexOf('=');
            if (eq < 0) {
                problems.add(where + ": expected 'category = regex' but found no '=': " + trimmed);
                continue;
            }
            String name = trimmed.substring(0, eq).strip();
            String regex = trimmed.substring(eq + 1).strip();
            BounceCategory category = category(name);
            if (category == null) {
                problems.add(where + ": unknown category '" + name + "' (expected one of " + labels() + ")");
            } else if (regex.isEmpty()) {
                problems.add(where + ": empty regex for category '" + name + "'");
            } else {
                try {
                    rules.add(new BounceRule(category, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), where));
                } catch (PatternSyntaxException e) {
                    problems.add(where + ": invalid regex '" + regex + "': " + e.getDescription()
                            + " near index " + e.getIndex());
                }
            }
        }
        return new Result(rules, problems);
    }

    /** Accepts the documented label ({@code bad-mailbox}) and the enum name ({@code BAD_MAILBOX}). */
    static BounceCategory category(String name) {
        String key = name.toLowerCase(Locale.ROOT).replace('_', '-');
        for (BounceCategory category : BounceCategory.values()) {
            if (category.label().equals(key)) {
                return category;
            }
        }
        return null;
    }

    private static String labels() {
        return Arrays.stream(BounceCategory.values()).map(BounceCategory::label).collect(Collectors.joining(", "));
    }
}
