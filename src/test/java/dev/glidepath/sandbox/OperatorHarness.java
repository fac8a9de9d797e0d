package dev.glidepath.sandbox;

import dev.glidepath.analysis.BackgroundMeasurements;
import dev.glidepath.analysis.MeasurementSource;
import dev.glidepath.approval.ApprovalTrust;
import dev.glidepath.credentials.AddressPolicy;
import dev.glidepath.credentials.CredentialCheck;
import dev.glidepath.credentials.SecretCache;
import dev.glidepath.metrics.ReleaseMetrics;
import dev.glidepath.notify.Webhooks;
import dev.glidepath.reconciler.FreezeScope;
import dev.glidepath.reconciler.ReleaseReconciler;
import dev.glidepath.reconciler.Shard;
import dev.glidepath.upstream.UpstreamClusters;
import dev.glidepath.upstream.UpstreamWatches;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * Runs Glidepath's real reconcilers in-process against a sandbox, without Quarkus, so that tests can
 * stop and start the operator at will (a restart between steps) and the demo and benchmark start fast.
 * It builds what the application's beans provide (the measurement source, webhooks, the Secret cache, with
 * the shipped defaults; metrics in a registry of their own) and closes them when it stops.
 */
public final class OperatorHarness implements AutoCloseable {
    /** The sandbox operator's own namespace: Freezes there cover every namespace. */
    public static final String GLOBAL_FREEZES = "glidepath-system";
    private final Operator operator;
    private final MeasurementSource measurements;
    private final Webhooks webhooks = new Webhooks(Webhooks.DEFAULT_TIMEOUT);
    private final UpstreamWatches upstreamWatches;
    /** The sandbox's heartbeat of upstream clusters and the bound past which their contact is too old. */
    public static final Duration UPSTREAM_HEARTBEAT = Duration.ofMillis(200);
    public static final Duration UPSTREAM_CONTACT_BOUND = Duration.ofSeconds(5);

    private OperatorHarness(KubernetesClient client, Clock clock, Metrics metrics, LeaderElectionConfiguration leaderElection,
            AddressPolicy addresses) {
        this(client, clock, metrics, leaderElection, addresses, Shard.DEFAULT);
    }

    private OperatorHarness(KubernetesClient client, Clock clock, Metrics metrics, LeaderElectionConfiguration leaderElection,
            AddressPolicy addresses, Shard shard) {
        this(client, clock, metrics, leaderElection, addresses, shard, UpstreamClusters.NONE);
    }

    private OperatorHarness(KubernetesClient client, Clock clock, Metrics metrics, LeaderElectionConfiguration leaderElection,
            AddressPolicy addresses, Shard shard, UpstreamClusters upstreamClusters) {
        upstreamWatches = new UpstreamWatches(upstreamClusters, GLOBAL_FREEZES, clock, UPSTREAM_HEARTBEAT, UPSTREAM_CONTACT_BOUND);
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withLeaderElectionConfiguration(leaderElection)
                .withMetrics(metrics)
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .checkingCRDAndValidateLocalModel(false)
                .withStopOnInformerErrorDuringStartup(true));
        measurements = new BackgroundMeasurements(clock);
        ReleaseReconciler reconciler = new ReleaseReconciler(clock, new ReleaseMetrics(new SimpleMeterRegistry()),
                new CredentialCheck(addresses, new SecretCache(clock, SecretCache.DEFAULT_TTL)), measurements, webhooks,
                new FreezeScope(GLOBAL_FREEZES), new ApprovalTrust(false), shard, upstreamWatches);
        // What the Quarkus extension applies from the reconciler itself (its shard's label selector).
        operator.register(reconciler, reconciler::updateConfigurationFrom);
    }

    /** The instance of one shard ({@link Shard#DEFAULT} for the Releases without a shard label). */
    public static OperatorHarness startShard(KubernetesClient client, Shard shard) {
        OperatorHarness h = new OperatorHarness(client, Clock.systemUTC(), Metrics.NOOP, null, AddressPolicy.ANY, shard);
        h.operator.start();
        return h;
    }

    public static OperatorHarness start(KubernetesClient client, Clock clock) {
        return start(client, clock, Metrics.NOOP);
    }

    /** With a JOSDK metrics hook, e.g. the benchmark's count of reconciles. */
    public static OperatorHarness start(KubernetesClient client, Clock clock, Metrics metrics) {
        OperatorHarness h = new OperatorHarness(client, clock, metrics, null, AddressPolicy.ANY);
        h.operator.start();
        return h;
    }

    /** Configured with allowlists of Prometheus and webhook addresses, as glidepath.allowed-*-urls do. */
    public static OperatorHarness start(KubernetesClient client, AddressPolicy addresses) {
        OperatorHarness h = new OperatorHarness(client, Clock.systemUTC(), Metrics.NOOP, null, addresses);
        h.operator.start();
        return h;
    }

    /**
     * One of several replicas competing for the leader Lease in {@code leaseNamespace}, under the given
     * identity; short lease timings so that a takeover happens within seconds.
     */
    public static OperatorHarness startReplica(KubernetesClient client, String identity, String leaseNamespace, Metrics metrics) {
        var election = new LeaderElectionConfiguration(dev.glidepath.reconciler.LeaderElection.LEASE_NAME, leaseNamespace,
                java.time.Duration.ofSeconds(2), java.time.Duration.ofMillis(1500), java.time.Duration.ofMillis(200), identity,
                null, false);
        OperatorHarness h = new OperatorHarness(client, Clock.systemUTC(), metrics, election, AddressPolicy.ANY);
        h.operator.start();
        return h;
    }

    /**
     * Configured with upstream clusters, as glidepath.upstream-clusters does (their kubeconfig Secrets in
     * {@link #GLOBAL_FREEZES}), with a heartbeat of {@link #UPSTREAM_HEARTBEAT} and a bound of {@link #UPSTREAM_CONTACT_BOUND}.
     */
    public static OperatorHarness start(KubernetesClient client, UpstreamClusters upstreamClusters) {
        OperatorHarness h = new OperatorHarness(client, Clock.systemUTC(), Metrics.NOOP, null, AddressPolicy.ANY, Shard.DEFAULT,
                upstreamClusters);
        h.operator.start();
        return h;
    }

    public static OperatorHarness start(KubernetesClient client) {
        return start(client, Clock.systemUTC());
    }

    public void stop() {
        operator.stop();
        upstreamWatches.close();
        measurements.close();
        webhooks.close();
    }

    @Override
    public void close() {
        stop();
    }
}
