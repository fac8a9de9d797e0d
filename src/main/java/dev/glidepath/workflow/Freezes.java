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

/**
 * Which freezes cover a Release: those of its own namespace and those of the operator's namespace (which cover
 * every namespace), whose selector matches its labels. Pure.
 */
public final class Freezes {
    private Freezes() {
    }

    public static List<FreezeHold> covering(Release release, Collection<Freeze> freezes, String globalNamespace) {
        String ns = release.getMetadata().getNamespace();
        Map<String, String> labels = release.getMetadata().getLabels() == null ? Map.of() : release.getMetadata().getLabels();
        return freezes.stream()
                .filter(f -> f.getSpec() != null && f.getMetadata().getDeletionTimestamp() == null)
                .filter(f -> ns.equals(f.getMetadata().getNamespace()) || f.getMetadata().getNamespace().equals(globalNamespace))
                .filter(f -> matches(f.getSpec().selector, labels))
                .map(Freezes::hold)
                .sorted(Comparator.comparing(FreezeHold::namespace).thenComparing(FreezeHold::name))
                .toList();
    }

    /** A freeze whose end time cannot be read stands (a freeze fails closed). */
    static FreezeHold hold(Freeze f) {
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
                Boolean.TRUE.equals(f.getSpec().allowOverride));
    }

    /** Label selector semantics: all matchLabels and every expression hold; an empty or absent selector matches all. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null
                && selector.getMatchLabels().entrySet().stream().anyMatch(e -> !e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
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
