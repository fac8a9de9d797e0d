package dev.glidepath.reconciler;

import dev.glidepath.api.v1alpha1.Release;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The part of the Releases this operator instance acts on ({@code glidepath.shard}): the Releases labelled
 * {@value #LABEL} with its name, or, for the default instance (no shard name), the Releases without that label.
 * Its informer of Releases selects by the label, and each shard has its own leader-election Lease, so several
 * instances share a cluster without ever acting on the same Release.
 */
public record Shard(Optional<String> name) {
    public static final String LABEL = Release.SHARD_LABEL;
    public static final String PROPERTY = "glidepath.shard";
    public static final Shard DEFAULT = new Shard(Optional.empty());
    /** A DNS label short enough for the Lease name it is part of ({@code glidepath-leader-NAME}, 63 at most). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,44}[a-z0-9])?");

    public Shard {
        name = name.map(String::strip).filter(n -> !n.isEmpty());
        name.ifPresent(n -> {
            if (!NAME.matcher(n).matches()) {
                throw new IllegalArgumentException(PROPERTY + ": '" + n + "' is not a shard name: lowercase letters, digits and"
                        + " '-', starting and ending with a letter or digit, at most 46 characters");
            }
        });
    }

    public static Shard named(String name) {
        return new Shard(Optional.ofNullable(name));
    }

    /** The label selector of this instance's informer of Releases. */
    public String selector() {
        return name.map(n -> LABEL + "=" + n).orElse("!" + LABEL);
    }

    /** Whether this instance acts on the Release: its label names this shard (or, for the default, it has none). */
    public boolean owns(Release release) {
        Map<String, String> labels = release.getMetadata().getLabels();
        String label = labels == null ? null : labels.get(LABEL);
        return name.map(n -> n.equals(label)).orElse(label == null);
    }

    /** The Lease the replicas of this shard elect their leader with. */
    public String leaseName() {
        return name.map(n -> LeaderElection.LEASE_NAME + "-" + n).orElse(LeaderElection.LEASE_NAME);
    }

    @Override
    public String toString() {
        return name.map(n -> "shard " + n).orElse("the default shard (Releases without " + LABEL + ")");
    }
}
