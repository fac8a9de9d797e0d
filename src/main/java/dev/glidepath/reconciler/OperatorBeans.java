package dev.glidepath.reconciler;

import dev.glidepath.analysis.BackgroundMeasurements;
import dev.glidepath.analysis.MeasurementSource;
import dev.glidepath.approval.ApprovalChecks;
import dev.glidepath.approval.ApprovalTrust;
import dev.glidepath.credentials.AddressPolicy;
import dev.glidepath.credentials.CredentialCheck;
import dev.glidepath.credentials.SecretCache;
import dev.glidepath.credentials.UrlAllowlist;
import dev.glidepath.metrics.ReleaseMetrics;
import dev.glidepath.notify.Webhooks;
import dev.glidepath.upstream.UpstreamClusters;
import dev.glidepath.upstream.UpstreamWatches;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The operator's one source of time, its metrics, its address policy and what does I/O for the reconciler
 * (Secrets, Prometheus, webhooks); tests construct reconcilers with their own.
 */
@ApplicationScoped
public class OperatorBeans {
    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Where Releases may send queries and notifications ({@code glidepath.allowed-prometheus-urls},
     * {@code glidepath.allowed-webhook-urls}: comma-separated URL prefixes; unset or empty for any address).
     * An entry that is not a URL prefix stops the operator from starting, rather than admitting everything.
     */
    @Produces
    @Singleton // a record cannot be proxied, as a normal scope would need
    AddressPolicy addressPolicy(@ConfigProperty(name = AddressPolicy.PROMETHEUS_PROPERTY) Optional<List<String>> prometheus,
            @ConfigProperty(name = AddressPolicy.WEBHOOK_PROPERTY) Optional<List<String>> webhooks) {
        return new AddressPolicy(allowlist(AddressPolicy.PROMETHEUS_PROPERTY, prometheus),
                allowlist(AddressPolicy.WEBHOOK_PROPERTY, webhooks));
    }

    private static UrlAllowlist allowlist(String property, Optional<List<String>> entries) {
        try {
            return UrlAllowlist.of(entries.orElse(List.of()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }

    /** The Secrets Releases name, each read kept for {@code glidepath.credentials.cache-ttl}, checked against the policy. */
    @Produces
    @ApplicationScoped
    CredentialCheck credentialCheck(AddressPolicy addresses, Clock clock,
            @ConfigProperty(name = SecretCache.TTL_PROPERTY) Duration ttl) {
        return new CredentialCheck(addresses, new SecretCache(clock, ttl));
    }

    /** Rounds of measurements taken off the reconcile thread; its Prometheus clients stop with the operator. */
    @Produces
    @ApplicationScoped
    MeasurementSource measurements(Clock clock) {
        return new BackgroundMeasurements(clock);
    }

    void closeMeasurements(@Disposes MeasurementSource measurements) {
        measurements.close();
    }

    /** Whether Approvals count without the admission policy that verifies their approver. */
    @Produces
    @Singleton
    ApprovalTrust approvalTrust(@ConfigProperty(name = ApprovalChecks.TRUST_PROPERTY, defaultValue = "false") boolean trust) {
        return new ApprovalTrust(trust);
    }

    /** The Releases this instance acts on ({@code glidepath.shard}; unset for those without a shard label). */
    @Produces
    @Singleton
    Shard shard(@ConfigProperty(name = Shard.PROPERTY) Optional<String> name) {
        return new Shard(name);
    }

    /**
     * The other clusters Releases may gate their promotion on ({@code glidepath.upstream-clusters}, NAME=SECRET pairs);
     * a bad entry stops the operator from starting, naming the property.
     */
    @Produces
    @Singleton
    UpstreamClusters upstreamClusters(@ConfigProperty(name = UpstreamClusters.PROPERTY) Optional<List<String>> entries) {
        return UpstreamClusters.parse(entries);
    }

    /** The watches of the upstream clusters, each started when a Release first names it; stopped with the operator. */
    @Produces
    @Singleton
    UpstreamWatches upstreamWatches(UpstreamClusters clusters, FreezeScope scope, Clock clock) {
        return new UpstreamWatches(clusters, scope.globalNamespace(), clock);
    }

    void closeUpstreamWatches(@Disposes UpstreamWatches watches) {
        watches.close();
    }

    /** Where Freezes covering every namespace live (the operator's namespace). */
    @Produces
    @Singleton
    FreezeScope freezeScope(@ConfigProperty(name = FreezeScope.PROPERTY) String namespace) {
        return new FreezeScope(namespace);
    }

    /** Webhook deliveries, each attempt bounded by {@code glidepath.webhooks.timeout}; stopped with the operator. */
    @Produces
    @ApplicationScoped
    Webhooks webhooks(@ConfigProperty(name = Webhooks.TIMEOUT_PROPERTY) Duration timeout) {
        return new Webhooks(timeout);
    }

    void closeWebhooks(@Disposes Webhooks webhooks) {
        webhooks.close();
    }

    /**
     * java-operator-sdk's metrics without its per-resource series: with them every Release cost six timer histograms
     * (about 20 KiB of heap each Release, most of the operator's memory at thousands of Releases). The operator's own
     * per-Release series are {@link ReleaseMetrics}'.
     */
    @Produces
    @Singleton
    Metrics operatorSdkMetrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }

    @Produces
    @ApplicationScoped
    ReleaseMetrics releaseMetrics(MeterRegistry registry) {
        return new ReleaseMetrics(registry);
    }
}
