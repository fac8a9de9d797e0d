package dev.glidepath.credentials;

import dev.glidepath.api.v1alpha1.NotificationSpec;
import dev.glidepath.api.v1alpha1.PrometheusSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the Secrets a Release names, by name (never a list or a watch), and checks them and the addresses they
 * lead to before anything is decided or sent. Anyone who may create a Release may name any Secret of its
 * namespace, so a Secret is used only when whoever owns it has labelled it {@code glidepath.dev/credentials=true};
 * and an address must be admitted by the operator's {@link AddressPolicy}. Each refusal names the field to fix.
 */
public final class CredentialCheck {
    public static final String LABEL = "glidepath.dev/credentials";

    private record Read(Secret secret, String failure) {
    }

    private final AddressPolicy policy;
    private final SecretCache secrets;

    /** Reading every Secret afresh each time. */
    public CredentialCheck(AddressPolicy policy) {
        this(policy, SecretCache.uncached());
    }

    public CredentialCheck(AddressPolicy policy, SecretCache secrets) {
        this.policy = policy == null ? AddressPolicy.ANY : policy;
        this.secrets = secrets;
    }

    /** Through the client, in the Release's namespace, by way of the cache of recent reads. */
    public Credentials check(KubernetesClient client, Release release) {
        String namespace = release.getMetadata().getNamespace();
        return check(release, name -> secrets.get(client, namespace, name));
    }

    /** {@code secrets} reads one Secret of the Release's namespace by name (null when there is none). */
    public Credentials check(Release release, Function<String, Secret> secrets) {
        ReleaseSpec spec = release.getSpec();
        if (spec == null) {
            return Credentials.NONE;
        }
        Map<String, Read> reads = new HashMap<>();
        Function<String, Read> read = name -> reads.computeIfAbsent(name, n -> {
            try {
                return new Read(secrets.apply(n), null);
            } catch (KubernetesClientException e) {
                return new Read(null, "cannot read Secret " + n + ": " + e.getMessage());
            }
        });
        List<String> problems = new ArrayList<>();

        PrometheusAccess access = PrometheusAccess.NONE;
        String accessFailure = null;
        PrometheusSpec prometheus = spec.analysis == null ? null : spec.analysis.prometheus;
        if (prometheus != null && prometheus.address != null && !prometheus.address.isBlank()
                && !policy.prometheus().admits(prometheus.address)) {
            problems.add("spec.analysis.prometheus.address: '" + prometheus.address + "' is outside the Prometheus addresses"
                    + " this operator allows (" + AddressPolicy.PROMETHEUS_PROPERTY + ": " + policy.prometheus()
                    + "); nothing is sent to it");
        }
        if (prometheus != null && prometheus.secretName != null && !prometheus.secretName.isBlank()) {
            String field = "spec.analysis.prometheus.secretName";
            Read r = read.apply(prometheus.secretName);
            if (r.failure() != null) {
                accessFailure = r.failure();
            } else if (r.secret() == null) {
                accessFailure = "Secret " + prometheus.secretName + " (" + field + ") not found";
            } else if (!labelled(r.secret())) {
                problems.add(unlabelled(field, prometheus.secretName));
            } else {
                try {
                    Map<String, String> data = r.secret().getData() == null ? Map.of() : r.secret().getData();
                    access = new PrometheusAccess(decode(data.get("token")), decode(data.get("username")),
                            decode(data.get("password")), decode(data.get("ca.crt")));
                } catch (IllegalArgumentException e) {
                    accessFailure = "Secret " + prometheus.secretName + " (" + field + ") holds a value that is not base64";
                }
            }
        }

        Map<String, Credentials.Webhook> webhooks = new HashMap<>();
        List<NotificationSpec> notifications = spec.notifications == null ? List.of() : spec.notifications;
        for (int i = 0; i < notifications.size(); i++) {
            NotificationSpec n = notifications.get(i);
            if (n == null || n.secretName == null || n.secretName.isBlank()) {
                continue;
            }
            String field = "spec.notifications[" + i + "].secretName";
            Read r = read.apply(n.secretName);
            if (r.failure() != null) {
                webhooks.put(n.secretName, new Credentials.Webhook(null, r.failure()));
            } else if (r.secret() != null && !labelled(r.secret())) {
                problems.add(unlabelled(field, n.secretName));
            } else if (r.secret() == null || r.secret().getData() == null || r.secret().getData().get("url") == null) {
                webhooks.put(n.secretName, new Credentials.Webhook(null, "Secret " + n.secretName + " with the key url not found"));
            } else {
                String url;
                try {
                    url = decode(r.secret().getData().get("url")).trim();
                } catch (IllegalArgumentException e) {
                    webhooks.put(n.secretName, new Credentials.Webhook(null, "the key url of Secret " + n.secretName
                            + " is not base64"));
                    continue;
                }
                if (policy.webhooks().admits(url)) {
                    webhooks.put(n.secretName, new Credentials.Webhook(url, null));
                } else {
                    // The URL itself is never shown: webhook URLs often carry a token.
                    problems.add(field + ": the url in Secret '" + n.secretName + "' is outside the webhook addresses this"
                            + " operator allows (" + AddressPolicy.WEBHOOK_PROPERTY + ": " + policy.webhooks()
                            + "); nothing is sent to it");
                }
            }
        }
        return new Credentials(access, accessFailure, webhooks, problems.stream().distinct().toList());
    }

    static boolean labelled(Secret secret) {
        Map<String, String> labels = secret.getMetadata() == null ? null : secret.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(LABEL));
    }

    private static String unlabelled(String field, String name) {
        return field + ": Secret '" + name + "' is not labelled " + LABEL + "=true; Glidepath uses a Secret only when its"
                + " owner has labelled it so, and sent nothing";
    }

    private static String decode(String base64) {
        return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
