package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * `make bench-analysis`: against a real Prometheus (1s scrape) and a 1s analysis interval, 20 canaries whose
 * error rate steps from 1% to 50% at a pause: the time from the step change at the app to all traffic back
 * on the stable revision (the stable Service pinned to it), p50 and p95, with its breakdown; the same for 20
 * canaries behind an HTTPRoute (a simulated gateway splits the traffic by its weights) up to the route's
 * canary weight 0; then 20 healthy canaries whose error rate sits just under the threshold with noise,
 * counting false reverts.
 */
public final class AnalysisBench {
    private static final String NS = "bench";
    private static final double THRESHOLD = 0.05;
    private static final List<java.util.logging.Logger> QUIET = List.of(java.util.logging.Logger.getLogger("dev.glidepath"),
            java.util.logging.Logger.getLogger("io.javaoperatorsdk"), java.util.logging.Logger.getLogger("io.fabric8"));

    private final KubernetesClient client;
    private final SyntheticTraffic traffic;
    private final String prometheus;
    private final BenchReleases releases;
    private final Map<String, Long> pinnedAt;
    /** When each routed release's route last dropped its canary backend. */
    private final Map<String, Long> unroutedAt = new ConcurrentHashMap<>();
    private final Map<String, Boolean> routedNow = new ConcurrentHashMap<>();

    private AnalysisBench(KubernetesClient client, SyntheticTraffic traffic, String prometheus) {
        this.client = client;
        this.traffic = traffic;
        this.prometheus = prometheus;
        this.releases = new BenchReleases(client, NS);
        this.pinnedAt = releases.pinnedAt;
        client.resources(HTTPRoute.class).inNamespace(NS).inform(new ResourceEventHandler<HTTPRoute>() {
            @Override
            public void onAdd(HTTPRoute r) {
                onUpdate(r, r);
            }

            @Override
            public void onUpdate(HTTPRoute old, HTTPRoute r) {
                String name = r.getMetadata().getName();
                boolean canary = r.getSpec().getRules().stream().flatMap(rule -> rule.getBackendRefs().stream())
                        .anyMatch(b -> b.getName().endsWith("-canary") && b.getWeight() != null && b.getWeight() > 0);
                Boolean before = routedNow.put(name, canary);
                if (Boolean.TRUE.equals(before) && !canary) {
                    unroutedAt.put(name, System.nanoTime());
                }
            }

            @Override
            public void onDelete(HTTPRoute r, boolean unknown) {
            }
        });
    }

    public static void main(String[] args) {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "20"));
        try (Sandbox sandbox = Sandbox.start();
                WorkloadSimulator simulator = new WorkloadSimulator(sandbox.client(), Duration.ofMillis(100)).start();
                OperatorHarness operator = OperatorHarness.start(sandbox.newClient());
                SyntheticTraffic traffic = new SyntheticTraffic();
                RealPrometheus prometheus = RealPrometheus.start(traffic.target())) {
            sandbox.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            traffic.set(NS, "probe", 1, new SyntheticTraffic.Behaviour(10, 0, 0.1, 0));
            prometheus.awaitSample("rate(http_requests_total{glidepath_dev_release=\"probe\"}[5s])", Duration.ofSeconds(30));
            AnalysisBench bench = new AnalysisBench(sandbox.client(), traffic, prometheus.address());
            bench.breachToRevert(runs, false);
            try (SimulatedGateway gateway = new SimulatedGateway(sandbox.client(), NS, traffic)) {
                bench.breachToRevert(runs, true);
            }
            bench.falseReverts(runs);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private void breachToRevert(int runs, boolean routed) throws Exception {
        List<double[]> rows = new ArrayList<>();
        Map<String, Long> revertedAt = routed ? unroutedAt : pinnedAt;
        for (int i = 0; i < runs; i++) {
            String name = (routed ? "routed-" : "breach-") + i;
            traffic.set(NS, name, 1, new SyntheticTraffic.Behaviour(50, 0.01, 0.1, 0.002));
            traffic.set(NS, name, 2, new SyntheticTraffic.Behaviour(50, 0.01, 0.1, 0.002));
            Release release = release(name, CanaryStep.weight(50), CanaryStep.pause(null));
            if (routed) {
                // Behind a route, revision 2 receives only what the gateway sends it.
                traffic.share(NS, name, 2, 0);
                client.resource(Releases.httpRoute(NS, name, name)).create();
                Releases.routed(release, name);
            }
            client.resource(release).create();
            BenchReleases.await(() -> "Healthy".equals(releases.phase(name)), 30);
            releases.setImage(name, name + ":2");
            BenchReleases.await(() -> "Paused".equals(releases.phase(name)), 60);
            // Let the canary's passing measurements settle at a random phase of the scrape and analysis cycles.
            Thread.sleep(1000 + (long) (Math.random() * 1000));
            long change = System.nanoTime();
            traffic.set(NS, name, 2, new SyntheticTraffic.Behaviour(50, 0.5, 0.1, 0.002));
            BenchReleases.await(() -> revertedAt.containsKey(name), 60);
            long pinned = revertedAt.get(name);
            long scrape = traffic.firstScrapeAfter(change).orElse(pinned);
            BenchReleases.await(() -> "RolledBack".equals(releases.lastRollout(name).getStatus().phase), 10);
            Rollout r = releases.lastRollout(name);
            var failing = r.getStatus().analysis.get(0).measurements.stream().filter(m -> "Fail".equals(m.verdict)).findFirst().orElseThrow();
            long measuredNanos = change + Duration.between(wallAt(change), Instant.parse(failing.time)).toNanos();
            rows.add(new double[] {ms(pinned - change), ms(scrape - change), ms(measuredNanos - scrape), ms(pinned - measuredNanos)});
            System.out.printf("run %2d: %6.0f ms to revert (scrape %4.0f, until the failing measurement %4.0f, revert %3.0f)%n", i,
                    rows.get(i)[0], rows.get(i)[1], rows.get(i)[2], rows.get(i)[3]);
        }
        System.out.println();
        System.out.println("| breach → all traffic on stable" + (routed ? " through an HTTPRoute" : "") + " (" + runs
                + " runs) | p50 | p95 | max |");
        System.out.println("|---|---|---|---|");
        String[] names = {"total", "step change → next scrape", "scrape → failing measurement (interval phase + rate window)",
                routed ? "measurement → route's canary weight 0" : "measurement → Service pinned to stable"};
        for (int c = 0; c < 4; c++) {
            int col = c;
            double[] v = rows.stream().mapToDouble(x -> x[col]).sorted().toArray();
            System.out.printf("| %s | %.0f ms | %.0f ms | %.0f ms |%n", names[c], BenchReleases.pct(v, 50), BenchReleases.pct(v, 95), v[v.length - 1]);
        }
        System.out.println();
    }

    private void falseReverts(int runs) throws Exception {
        for (int i = 0; i < runs; i++) {
            String name = "healthy-" + i;
            SyntheticTraffic.Behaviour nearLimit = new SyntheticTraffic.Behaviour(50, 0.035, 0.1, 0.01);
            traffic.set(NS, name, 1, nearLimit);
            traffic.set(NS, name, 2, nearLimit);
            client.resource(release(name, CanaryStep.weight(50), CanaryStep.pause("10s"))).create();
        }
        for (int i = 0; i < runs; i++) {
            String name = "healthy-" + i;
            BenchReleases.await(() -> "Healthy".equals(releases.phase(name)), 60);
            releases.setImage(name, name + ":2");
        }
        int reverted = 0;
        int promoted = 0;
        int measurements = 0;
        for (int i = 0; i < runs; i++) {
            String name = "healthy-" + i;
            BenchReleases.await(() -> releases.lastRollout(name) != null && releases.lastRollout(name).getSpec().toRevision == 2
                    && List.of("Succeeded", "RolledBack").contains(releases.lastRollout(name).getStatus().phase), 120);
            Rollout r = releases.lastRollout(name);
            measurements += r.getStatus().analysis.get(0).measurements.size();
            if ("RolledBack".equals(r.getStatus().phase)) {
                reverted++;
            } else {
                promoted++;
            }
        }
        System.out.printf("| healthy canaries, error rate 3.5%% ± 1%% noise, threshold 5%% | %d | promoted %d, falsely reverted %d |%n",
                runs, promoted, reverted);
        System.out.printf("(the Rollouts keep the last %d error-rate measurements each as evidence: %d in all)%n", dev.glidepath.analysis.AnalysisLedger.KEPT, measurements);
    }

    private Release release(String name, CanaryStep... steps) {
        Release r = Releases.canary(NS, name, name + ":1", 2, steps);
        AnalysisSpec a = Analyses.of(prometheus, "1s", Analyses.errorRate("10s", THRESHOLD));
        a.inconclusiveLimit = 10;
        r.getSpec().analysis = a;
        return r;
    }

    private static Instant wallAt(long nanos) {
        return Instant.now().minusNanos(System.nanoTime() - nanos);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

}
