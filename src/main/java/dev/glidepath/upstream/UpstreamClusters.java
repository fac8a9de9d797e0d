package dev.glidepath.upstream;

import dev.glidepath.api.v1alpha1.PromotionSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The other clusters Releases may gate their promotion on ({@code glidepath.upstream-clusters}: comma-separated
 * {@code NAME=SECRET} pairs). Each Secret lives in the operator's own namespace and holds a kubeconfig under
 * {@value #KUBECONFIG_KEY}. Only the operator's configuration names a cluster's address and credentials: a Release
 * names a cluster by its configured name, never an address or a Secret.
 */
public record UpstreamClusters(Map<String, String> secrets) {
    public static final String PROPERTY = "glidepath.upstream-clusters";
    public static final String KUBECONFIG_KEY = "kubeconfig";
    public static final UpstreamClusters NONE = new UpstreamClusters(Map.of());
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public UpstreamClusters {
        secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    }

    /** Parses the entries of {@value #PROPERTY}; a bad entry is refused naming the property and the entry. */
    public static UpstreamClusters parse(List<String> entries) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw refused(entry, "not NAME=SECRET");
            }
            String name = entry.substring(0, eq).strip();
            String secret = entry.substring(eq + 1).strip();
            if (!DNS_LABEL.matcher(name).matches()) {
                throw refused(entry, "the cluster name '" + name + "' is not a DNS label (lowercase letters, digits and '-',"
                        + " starting and ending with a letter or digit, at most 63 characters)");
            }
            if (!DNS_SUBDOMAIN.matcher(secret).matches()) {
                throw refused(entry, "the Secret name '" + secret + "' is not a Secret name");
            }
            if (secrets.putIfAbsent(name, secret) != null) {
                throw refused(entry, "the cluster '" + name + "' is named twice");
            }
        }
        return new UpstreamClusters(secrets);
    }

    /** From the optional property value (unset: no upstream clusters). */
    public static UpstreamClusters parse(Optional<List<String>> entries) {
        return entries.map(UpstreamClusters::parse).orElse(NONE);
    }

    private static IllegalArgumentException refused(String entry, String why) {
        return new IllegalArgumentException(PROPERTY + ": '" + entry + "': " + why);
    }

    public boolean configured(String name) {
        return secrets.containsKey(name);
    }

    /** The configured names, for messages: "a, b", or "none" when no cluster is configured. */
    public String names() {
        return secrets.isEmpty() ? "none (" + PROPERTY + " is empty)" : String.join(", ", secrets.keySet());
    }

    /**
     * The upstreams of {@code promotion} naming a cluster that is not configured, each a problem naming its field and
     * the configured names. Checked before anything is read: a Release only ever names a configured cluster.
     */
    public List<String> refusals(PromotionSpec promotion) {
        if (promotion == null || promotion.from == null) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < promotion.from.size(); i++) {
            PromotionSpec.Upstream u = promotion.from.get(i);
            if (u != null && u.cluster != null && !configured(u.cluster)) {
                problems.add("spec.promotion.from[" + i + "].cluster: '" + u.cluster + "' is not a configured upstream cluster"
                        + " (configured: " + names() + ")");
            }
        }
        return problems;
    }

    public Optional<String> secretOf(String name) {
        return Optional.ofNullable(secrets.get(name));
    }
}
