package dev.glidepath.sandbox.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A label selector as the API takes it in {@code ?labelSelector=}: comma-separated requirements {@code k=v},
 * {@code k==v}, {@code k!=v}, {@code k}, {@code !k}, {@code k in (a,b)}, {@code k notin (a,b)}.
 */
final class LabelSelector {
    static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private enum Operator { IN, NOT_IN, EXISTS, NOT_EXISTS }

    private record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /** Parses a selector; null or blank selects everything. Throws IllegalArgumentException when malformed. */
    static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String term : splitTerms(text)) {
            requirements.add(requirement(term.trim()));
        }
        return new LabelSelector(List.copyOf(requirements));
    }

    boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    /** The "key=value" pairs every selected object must carry: what an index can narrow the candidates by. */
    List<String> equalities() {
        return requirements.stream().filter(r -> r.operator == Operator.IN && r.values.size() == 1)
                .map(r -> r.key + "=" + r.values.iterator().next()).toList();
    }

    /** Commas separate terms, except inside the parentheses of a set. */
    private static List<String> splitTerms(String text) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(text.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(text.substring(start));
        return terms;
    }

    private static Requirement requirement(String term) {
        if (term.isEmpty()) {
            throw new IllegalArgumentException("empty requirement in label selector");
        }
        int set = term.indexOf('(');
        if (set > 0) {
            if (!term.endsWith(")")) {
                throw new IllegalArgumentException("unclosed set in label selector: " + term);
            }
            String[] head = term.substring(0, set).trim().split("\\s+");
            if (head.length != 2 || !(head[1].equals("in") || head[1].equals("notin"))) {
                throw new IllegalArgumentException("bad set requirement: " + term);
            }
            Set<String> values = Set.of(term.substring(set + 1, term.length() - 1).trim().split("\\s*,\\s*"));
            return new Requirement(head[0], head[1].equals("in") ? Operator.IN : Operator.NOT_IN, values);
        }
        if (term.contains("!=")) {
            String[] kv = term.split("!=", 2);
            return new Requirement(kv[0].trim(), Operator.NOT_IN, Set.of(kv[1].trim()));
        }
        if (term.contains("=")) {
            String[] kv = term.split("==?", 2);
            return new Requirement(kv[0].trim(), Operator.IN, Set.of(kv[1].trim()));
        }
        if (term.startsWith("!")) {
            return new Requirement(term.substring(1).trim(), Operator.NOT_EXISTS, Set.of());
        }
        return new Requirement(term, Operator.EXISTS, Set.of());
    }
}
