package dev.glidepath.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PromQL template with placeholders such as {{release}}. Every placeholder must stand inside a
 * double-quoted string (a label value), and what is substituted is escaped for that string, so no value
 * (quotes, braces, backslashes, newlines) can change the query's structure.
 */
public final class QueryTemplate {
    public static final Set<String> PLACEHOLDERS = Set.of("release", "namespace", "newRevision", "stableRevision", "version");
    /** In a judged metric's count queries, evaluated once for each revision. */
    public static final Set<String> COUNT_PLACEHOLDERS = Set.of("release", "namespace", "revision", "version");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*\\}\\}");

    private QueryTemplate() {
    }

    /** Problems with the template, each a sentence; empty when it can be rendered safely. */
    public static List<String> problems(String template) {
        return problems(template, PLACEHOLDERS);
    }

    /** Problems with a template whose placeholders may be {@code known}. */
    public static List<String> problems(String template, Set<String> known) {
        List<String> problems = new ArrayList<>();
        if (template == null || template.isBlank()) {
            problems.add("is empty");
            return problems;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                problems.add("unknown placeholder {{" + m.group(1) + "}} (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            } else if (!insideDoubleQuotes(template, m.start())) {
                problems.add("placeholder {{" + m.group(1) + "}} must stand inside a double-quoted label value, e.g. release=\"{{release}}\"");
            }
        }
        return problems;
    }

    /** Renders the template; the caller has checked {@link #problems} first. */
    public static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.getOrDefault(m.group(1), "");
            m.appendReplacement(out, Matcher.quoteReplacement(escape(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Escapes a value for a PromQL double-quoted string. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static boolean insideDoubleQuotes(String s, int position) {
        boolean inside = false;
        char quote = 0;
        for (int i = 0; i < position; i++) {
            char c = s.charAt(i);
            if (inside) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    inside = false;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                inside = true;
                quote = c;
            }
        }
        return inside && quote == '"';
    }
}
