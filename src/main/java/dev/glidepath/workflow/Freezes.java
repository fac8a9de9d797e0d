package dev.glidepath.workflow;

import dev.glidepath.api.v1alpha1.Freeze;
import dev.glidepath.api.v1alpha1.Release;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which freezes cover a Release: those of its own namespace and those of the operator's namespace (which cover
 * every namespace), whose selector matches its labels. Pure.
 */
public final class Freezes {
    private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

    private Freezes() {
    }

    public static List<FreezeHold> covering(Release release, Collection<Freeze> freezes, String globalNamespace) {
        String ns = release.getMetadata().getNamespace();
        Map<String, String> labels = release.getMetadata().getLabels() == null ? Map.of() : release.getMetadata().getLabels();
        return freezes.stream()
                .filter(f -> f.getMetadata().getDeletionTimestamp() == null)
                .filter(f -> ns.equals(f.getMetadata().getNamespace()) || f.getMetadata().getNamespace().equals(globalNamespace))
                // A selector that cannot be read, or that the API server would refuse, holds its whole scope (fails closed).
                .filter(f -> unreadable(f).isPresent() || selectorProblem(f.getSpec().selector).isPresent()
                        || matches(f.getSpec().selector, labels))
                .map(Freezes::hold)
                .sorted(Comparator.comparing(FreezeHold::namespace).thenComparing(FreezeHold::name))
                .toList();
    }

    /** Why a Freeze's spec cannot be read at all (absent, or a value of the wrong type): it then covers its whole scope. */
    static Optional<String> unreadable(Freeze f) {
        if (f.getSpec() == null) {
            return Optional.of("spec: is missing");
        }
        return f.getSpec().unreadable();
    }

    /** A freeze fails closed: one whose end time cannot be read stands, one that cannot be read at all holds its whole scope. */
    static FreezeHold hold(Freeze f) {
        Optional<String> unreadable = unreadable(f);
        if (unreadable.isPresent()) {
            return new FreezeHold(f.getMetadata().getNamespace(), f.getMetadata().getName(), "cannot be read", null, false,
                    unreadable.get() + " (so it holds every Release in its scope)");
        }
        Instant until = null;
        String reason = f.getSpec().reason == null || f.getSpec().reason.isBlank() ? "no reason given" : f.getSpec().reason;
        if (f.getSpec().until != null) {
            try {
                until = OffsetDateTime.parse(f.getSpec().until).toInstant();
            } catch (DateTimeParseException e) {
                reason += "; spec.until '" + f.getSpec().until + "' is not an RFC 3339 time, so it stands until deleted";
            }
        }
        return new FreezeHold(f.getMetadata().getNamespace(), f.getMetadata().getName(), reason, until,
                Boolean.TRUE.equals(f.getSpec().allowOverride), selectorProblem(f.getSpec().selector).orElse(null));
    }

    /**
     * What the API server would refuse in a label selector, naming the field: an unknown operator, In or NotIn
     * without values, Exists or DoesNotExist with some. Such a Freeze holds every Release in its scope (it holds
     * rather than lets go).
     */
    static Optional<String> selectorProblem(LabelSelector selector) {
        if (selector == null || selector.getMatchExpressions() == null) {
            return Optional.empty();
        }
        for (int i = 0; i < selector.getMatchExpressions().size(); i++) {
            LabelSelectorRequirement r = selector.getMatchExpressions().get(i);
            String field = "spec.selector.matchExpressions[" + i + "]";
            if (r == null) {
                return Optional.of(field + ": is empty");
            }
            boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
            String op = r.getOperator();
            if (op == null || !OPERATORS.contains(op)) {
                return Optional.of(field + ".operator: '" + op + "' is not one of " + String.join(", ", OPERATORS)
                        + " (so the Freeze holds every Release in its scope until fixed)");
            }
            if (r.getKey() == null || r.getKey().isBlank()) {
                return Optional.of(field + ".key: is required");
            }
            if ((op.equals("In") || op.equals("NotIn")) != hasValues) {
                return Optional.of(field + ".values: " + (hasValues ? "must be empty for " : "must not be empty for ") + op);
            }
        }
        return Optional.empty();
    }

    /** Label selector semantics: all matchLabels and every expression hold; an empty or absent selector matches all. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null
                && selector.getMatchLabels().entrySet().stream().anyMatch(e -> !Objects.equals(e.getValue(), labels.get(e.getKey())))) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (r == null || r.getKey() == null) {
                    continue;
                }
                String value = labels.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator() == null ? "" : r.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    // An operator the API server would refuse: match, so the freeze holds rather than lets go.
                    default -> true;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
