package dev.glidepath.upstream;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.workload.Labels;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The watch of the Releases of one upstream cluster, shared by every Release that names it: a client built from the
 * kubeconfig in the cluster's Secret (in the operator's namespace) and an informer on Releases in all its namespaces.
 * and one on the Rollouts Glidepath made there (their analysis is evidence for requireAnalysis). It keeps its
 * standing: synced or not, the last successful contact (a watch event or a heartbeat read), the last error. It only
 * reads (list and watch of Releases and Rollouts). {@link #problem} says why it cannot be trusted now.
 */
public final class UpstreamClusterWatch {
    private static final Logger LOG = Logger.getLogger(UpstreamClusterWatch.class);
    private static final int MAX_ERROR = 300;

    private final String name;
    private final String secretName;
    private final String namespace;
    private final KubernetesClient local;
    private final Clock clock;
    private final Duration bound;
    private final Consumer<Release> changed;

    private volatile KubernetesClient remote;
    private volatile SharedIndexInformer<Release> informer;
    private volatile SharedIndexInformer<Rollout> rollouts;
    private volatile Instant lastContact;
    private volatile String lastError = "not connected yet";
    private volatile String rolloutsError;
    /** Set when the operator stops: what fails after that is the stop, not the cluster. */
    private volatile boolean closed;

    UpstreamClusterWatch(String name, String secretName, String namespace, KubernetesClient local, Clock clock, Duration bound,
            Consumer<Release> changed) {
        this.name = name;
        this.secretName = secretName;
        this.namespace = namespace;
        this.local = local;
        this.clock = clock;
        this.bound = bound;
        this.changed = changed;
    }

    public String name() {
        return name;
    }

    /**
     * Why nothing read from this cluster may be trusted now, or empty: an error on the last read, the informer not
     * synced or not watching, or no successful contact within the bound.
     */
    public Optional<String> problem(Instant now) {
        String error = lastError;
        if (error != null) {
            return Optional.of(error);
        }
        SharedIndexInformer<Release> i = informer;
        SharedIndexInformer<Rollout> r = rollouts;
        if (i == null || r == null || !i.hasSynced() || !r.hasSynced()) {
            String rolloutsFailed = rolloutsError;
            return Optional.of(rolloutsFailed != null ? "its Rollouts cannot be listed: " + rolloutsFailed
                    : "its Releases and Rollouts are not listed yet");
        }
        if (!i.isWatching() || !r.isWatching()) {
            return Optional.of("its watch of Releases or Rollouts is down");
        }
        Instant contact = lastContact;
        if (contact == null || Duration.between(contact, now).compareTo(bound) > 0) {
            return Optional.of("no successful contact since " + (contact == null ? "start" : contact) + " (the bound is " + bound
                    + "; nothing older counts)");
        }
        return Optional.empty();
    }

    /** The upstream Release as the watch holds it (only meaningful while {@link #problem} is empty). */
    public Optional<Release> release(String ns, String releaseName) {
        SharedIndexInformer<Release> i = informer;
        return i == null ? Optional.empty() : Optional.ofNullable(i.getStore().getByKey(ns + "/" + releaseName));
    }

    /** A Rollout of the upstream cluster as the watch holds it (only meaningful while {@link #problem} is empty). */
    public Optional<Rollout> rollout(String ns, String rolloutName) {
        SharedIndexInformer<Rollout> r = rollouts;
        return r == null ? Optional.empty() : Optional.ofNullable(r.getStore().getByKey(ns + "/" + rolloutName));
    }

    /**
     * One heartbeat: connects when not connected (the Secret, its kubeconfig, the informer), else reads one Release to
     * prove the cluster still answers. Runs off the reconcile threads.
     */
    void beat() {
        if (remote == null) {
            try {
                connect();
            } catch (RuntimeException e) {
                fail(e);
            }
            return;
        }
        try {
            remote.resources(Release.class).inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build());
            contact();
        } catch (RuntimeException e) {
            fail(e);
            Instant contact = lastContact;
            if (refusedCredentials(e) || contact == null || Duration.between(contact, clock.instant()).compareTo(bound) > 0) {
                // Start again from the Secret: its kubeconfig may have been replaced (a rotated token).
                disconnect();
            }
        }
    }

    private static boolean refusedCredentials(RuntimeException e) {
        return answeredWith(e).map(k -> k.getCode() == 401 || k.getCode() == 403).orElse(false);
    }

    private void connect() {
        Secret secret;
        try {
            secret = local.secrets().inNamespace(namespace).withName(secretName).get();
        } catch (RuntimeException e) {
            lastError = "its Secret " + namespace + "/" + secretName + " cannot be read: " + describe(e);
            return;
        }
        if (secret == null) {
            lastError = "its Secret " + namespace + "/" + secretName + " is not found";
            return;
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(UpstreamClusters.KUBECONFIG_KEY);
        String kubeconfig = encoded != null ? new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)
                : secret.getStringData() == null ? null : secret.getStringData().get(UpstreamClusters.KUBECONFIG_KEY);
        if (kubeconfig == null || kubeconfig.isBlank()) {
            lastError = "its Secret " + namespace + "/" + secretName + " has no key " + UpstreamClusters.KUBECONFIG_KEY;
            return;
        }
        Config config;
        try {
            config = Config.fromKubeconfig(kubeconfig);
        } catch (RuntimeException e) {
            lastError = "the kubeconfig in its Secret " + namespace + "/" + secretName + " cannot be read: " + describe(e);
            return;
        }
        // A failed read is not retried within the request: the next heartbeat is the retry, and the error holds
        // the promotion at once instead of after a client's backoff.
        config.setRequestRetryBackoffLimit(0);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        SharedIndexInformer<Release> i = client.resources(Release.class).inAnyNamespace().runnableInformer(0);
        i.exceptionHandler((started, t) -> {
            fail(t);
            return true; // keep trying: the hold clears by itself once the cluster answers again
        });
        i.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Release r) {
                heard();
                changed.accept(r);
            }

            @Override
            public void onUpdate(Release before, Release now) {
                heard();
                changed.accept(now);
            }

            @Override
            public void onDelete(Release r, boolean unknownFinalState) {
                heard();
                changed.accept(r);
            }
        });
        // The Rollouts Glidepath made there: their analysis is the evidence requireAnalysis asks for.
        SharedIndexInformer<Rollout> r = client.resources(Rollout.class).inAnyNamespace().withLabel(Labels.OWNED_SELECTOR)
                .runnableInformer(0);
        r.exceptionHandler((started, t) -> {
            // Kept apart: a heartbeat read of Releases that answers does not clear it.
            rolloutsError = describe(t);
            fail(t);
            return true;
        });
        remote = client;
        informer = i;
        rollouts = r;
        r.start().whenComplete((ok, e) -> {
            if (e != null) {
                fail(e);
            } else {
                rolloutsError = null;
            }
        });
        i.start().whenComplete((ok, e) -> {
            if (e == null) {
                contact();
                LOG.infof("upstream cluster %s: watching its Releases", name);
                changed.accept(null);
            } else {
                fail(e);
            }
        });
    }

    /** A read answered: the cluster is readable again. */
    private void contact() {
        lastContact = clock.instant();
        lastError = null;
    }

    /**
     * A watch event: the cluster is still in contact, but an error seen since the last good read stands until a read
     * answers again (a watch stream can outlive a cluster that refuses reads).
     */
    private void heard() {
        if (lastError == null) {
            lastContact = clock.instant();
        }
    }

    private void fail(Throwable e) {
        if (closed) {
            return; // a read cut short by the operator's own stop says nothing about the cluster
        }
        String error = describe(e);
        if (!error.equals(lastError)) {
            LOG.warnf("upstream cluster %s: %s", name, error);
        }
        lastError = error;
    }

    /** What went wrong, briefly: the HTTP status and its message, or the innermost cause (e.g. a refused connection). */
    static String describe(Throwable e) {
        String text;
        Optional<KubernetesClientException> answered = answeredWith(e);
        if (answered.isPresent()) {
            KubernetesClientException k = answered.get();
            String message = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : k.getMessage();
            text = "HTTP " + k.getCode() + ": " + message;
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        }
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) + "..." : text;
    }

    /** The API server's answer in a failure (an informer wraps it), when there was one. */
    private static Optional<KubernetesClientException> answeredWith(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    void close() {
        closed = true;
        disconnect();
    }

    private void disconnect() {
        SharedIndexInformer<Rollout> r = rollouts;
        rollouts = null;
        if (r != null) {
            r.close();
        }
        SharedIndexInformer<Release> i = informer;
        informer = null;
        KubernetesClient c = remote;
        remote = null;
        if (i != null) {
            i.close();
        }
        if (c != null) {
            c.close();
        }
    }
}
