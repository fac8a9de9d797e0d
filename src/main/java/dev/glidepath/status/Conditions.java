package dev.glidepath.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes-style conditions: one per type, {@code lastTransitionTime} kept while the status stays the
 * same even when reason or message change.
 */
public final class Conditions {
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String COMMAND_REJECTED = "CommandRejected";
    public static final String READY = "Ready";
    public static final String MIGRATION_ROLLBACK_FAILED = "MigrationRollbackFailed";
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";

    private final List<Condition> conditions;
    private final Instant now;
    private final Long generation;

    public Conditions(List<Condition> previous, Instant now, Long generation) {
        this.conditions = previous == null ? new ArrayList<>() : new ArrayList<>(previous);
        this.now = now;
        this.generation = generation;
    }

    public Conditions set(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        Optional<Condition> old = find(type);
        String transition = old.filter(c -> value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now.toString());
        Condition next = new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(transition)
                .withObservedGeneration(generation)
                .build();
        old.ifPresentOrElse(c -> conditions.set(conditions.indexOf(c), next), () -> conditions.add(next));
        return this;
    }

    public Optional<Condition> find(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public boolean isTrue(String type) {
        return find(type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    public List<Condition> toList() {
        return new ArrayList<>(conditions);
    }
}
