package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.JudgeSpec;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The second part of `make bench-analysis`: the fixed threshold and the statistical judge side by side on
 * the same synthetic workload with Poisson noise, through a real Prometheus (1s scrape, 1s interval). False
 * reverts: healthy canaries whose true error rate is 30% under the tolerance (stable 2%, tolerance 1.5x = 3%,
 * new 2.1%), watched for JUDGE_WATCH seconds. Then breaches: from the stable revision's 1% to 2x, 5x and 30x
 * at each of JUDGE_RATES requests/s, the time from the step change at the app to the stable Service pinned to
 * the stable revision. Sizes come from the environment: JUDGE_HEALTHY (50), JUDGE_RUNS (10), JUDGE_WATCH (60),
 * JUDGE_RATES (100,1000), JUDGE_TIMES (5,30), JUDGE_BREACH_LIMIT (60 s, after which a breach counts as not
 * reverted). Small effects at low rates (2x at 10 requests/s) take minutes per breach: ask for them explicitly.
 */
public final class JudgeBench {
    private static final String NS = "judge";
    private static final String COUNT = "sum(http_requests_total{namespace=\"{{namespace}}\",glidepath_dev_release=\"{{release}}\","
            + "glidepath_dev_revision=\"{{revision}}\"%s})";
    private static final List<java.util.logging.Logger> QUIET = List.of(java.util.logging.Logger.getLogger("dev.glidepath"),
            java.util.logging.Logger.getLogger("io.javaoperatorsdk"), java.util.logging.Logger.getLogger("io.fabric8"));

    private final KubernetesClient client;
    private final SyntheticTraffic traffic;
    private final String prometheus;
    private final BenchReleases releases;
    private final Map<String, Long> pinnedAt;
    /** Breach runs whose healthy canary was reverted before the breach (false reverts), per table cell. */
    private int revertedBeforeBreach;

    private JudgeBench(KubernetesClient client, SyntheticTraffic traffic, String prometheus) {
        this.client = client;
        this.traffic = traffic;
        this.prometheus = prometheus;
        this.releases = new BenchReleases(client, NS);
        this.pinnedAt = releases.pinnedAt;
    }

    public static void main(String[] args) {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        try (Sandbox sandbox = Sandbox.start();
                WorkloadSimulator simulator = new WorkloadSimulator(sandbox.client(), Duration.ofMillis(100)).start();
                OperatorHarness operator = OperatorHarness.start(sandbox.newClient());
                SyntheticTraffic traffic = SyntheticTraffic.poisson(20221114L);
                RealPrometheus prometheus = RealPrometheus.start(traffic.target())) {
            sandbox.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            traffic.set(NS, "probe", 1, new SyntheticTraffic.Behaviour(10, 0, 0.1, 0));
            prometheus.awaitSample("rate(http_requests_total{glidepath_dev_release=\"probe\"}[5s])", Duration.ofSeconds(30));
            JudgeBench bench = new JudgeBench(sandbox.client(), traffic, prometheus.address());
            bench.falseReverts(env("JUDGE_HEALTHY", 50), env("JUDGE_WATCH", 60));
            bench.breaches(env("JUDGE_RUNS", 10), list("JUDGE_RATES", "100,1000"), list("JUDGE_TIMES", "5,30"),
                    env("JUDGE_BREACH_LIMIT", 60));
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static int env(String name, int fallback) {
        return Integer.parseInt(System.getenv().getOrDefault(name, String.valueOf(fallback)));
    }

    private static List<Double> list(String name, String fallback) {
        return java.util.Arrays.stream(System.getenv().getOrDefault(name, fallback).split(",")).map(Double::valueOf).toList();
    }

    private Release release(String name, boolean judged, double requestsPerSecond) {
        Release r = Releases.canary(NS, name, name + ":1", 2, CanaryStep.weight(50), CanaryStep.pause(null));
        AnalysisSpec a;
        if (judged) {
            MetricSpec m = new MetricSpec();
            m.name = "errors-vs-stable";
            m.judge = new JudgeSpec();
            m.judge.errors = COUNT.formatted(",code=~\"5..\"");
            m.judge.requests = COUNT.formatted("");
            a = Analyses.of(prometheus, "1s", m);
        } else {
            // The fixed threshold at the same tolerance: 1.5x the stable revision's 2%.
            a = Analyses.of(prometheus, "1s", Analyses.errorRate("10s", 0.03));
        }
        a.inconclusiveLimit = 30;
        r.getSpec().analysis = a;
        return r;
    }

    private void falseReverts(int runs, int watchSeconds) throws Exception {
        SyntheticTraffic.Behaviour stable = new SyntheticTraffic.Behaviour(50, 0.02, 0.1, 0);
        SyntheticTraffic.Behaviour healthy = new SyntheticTraffic.Behaviour(50, 0.021, 0.1, 0);
        List<String> names = new ArrayList<>();
        for (String method : List.of("threshold", "judge")) {
            for (int i = 0; i < runs; i++) {
                String name = method + "-healthy-" + i;
                traffic.set(NS, name, 1, stable);
                traffic.set(NS, name, 2, healthy);
                client.resource(release(name, method.equals("judge"), 100)).create();
                names.add(name);
            }
        }
        for (String name : names) {
            BenchReleases.await(() -> "Healthy".equals(releases.phase(name)), 120);
            releases.setImage(name, name + ":2");
        }
        long until = System.nanoTime() + watchSeconds * 1_000_000_000L;
        BenchReleases.await(() -> System.nanoTime() > until, watchSeconds + 5);
        System.out.println();
        System.out.println("| healthy canaries (Poisson counts, 100 requests/s, stable 2%, new 2.1%, tolerance 3%), watched "
                + watchSeconds + " s | canaries | falsely reverted |");
        System.out.println("|---|---:|---:|");
        for (String method : List.of("threshold", "judge")) {
            long reverted = names.stream().filter(n -> n.startsWith(method + "-")).map(releases::lastRollout)
                    .filter(r -> r != null && "RolledBack".equals(r.getStatus().phase)).count();
            System.out.printf("| %s | %d | %d |%n", method.equals("judge") ? "judge (maxRatio 1.5, alpha 0.01)"
                    : "fixed threshold (rate[10s] <= 0.03)", runs, reverted);
        }
    }

    private void breaches(int runs, List<Double> rates, List<Double> times, int limitSeconds) throws Exception {
        System.out.println();
        System.out.println("| breach: stable 1% → new at | requests/s | threshold p50 / p95 | judge p50 / p95 |");
        System.out.println("|---|---:|---:|---:|");
        for (double rate : rates) {
            for (double x : times) {
                StringBuilder row = new StringBuilder(String.format("| %.0fx | %.0f |", x, rate));
                for (String method : List.of("threshold", "judge")) {
                    revertedBeforeBreach = 0;
                    List<Double> seconds = new ArrayList<>();
                    int missed = 0;
                    for (int i = 0; i < runs; i++) {
                        String name = String.format("%s-%.0f-%.0f-%d", method, rate, x, i);
                        Double s = breach(name, method.equals("judge"), rate, Math.min(1, 0.01 * x), limitSeconds);
                        if (s == null) {
                            missed++;
                        } else {
                            seconds.add(s);
                        }
                    }
                    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    row.append(seconds.isEmpty() ? " — " : String.format(" %.1f / %.1f s", BenchReleases.pct(sorted, 50),
                            BenchReleases.pct(sorted, 95)))
                            .append(missed - revertedBeforeBreach > 0 ? " (" + (missed - revertedBeforeBreach) + " of " + runs
                                    + " not reverted)" : "")
                            .append(revertedBeforeBreach > 0 ? " (" + revertedBeforeBreach + " reverted before the breach)" : "")
                            .append(" |");
                }
                System.out.println(row);
            }
        }
    }

    /** One breach; seconds from the change to the stable Service pinned, or null when not reverted within the limit. */
    private Double breach(String name, boolean judged, double rate, double errorRatio, int limitSeconds) throws Exception {
        SyntheticTraffic.Behaviour healthy = new SyntheticTraffic.Behaviour(rate / 2, 0.01, 0.1, 0);
        traffic.set(NS, name, 1, healthy);
        traffic.set(NS, name, 2, healthy);
        client.resource(release(name, judged, rate)).create();
        BenchReleases.await(() -> "Healthy".equals(releases.phase(name)), 120);
        releases.setImage(name, name + ":2");
        // Taking traffic and measured a few times: then the new version breaks. A canary reverted before that (a
        // false revert of the healthy version) is counted apart.
        BenchReleases.await(() -> {
            Rollout r = releases.lastRollout(name);
            return r != null && r.getSpec().toRevision == 2 && r.getStatus() != null && (!"Progressing".equals(r.getStatus().phase)
                    && !"Paused".equals(r.getStatus().phase) && r.getStatus().phase != null
                    || r.getStatus().analysis != null && !r.getStatus().analysis.isEmpty()
                    && r.getStatus().analysis.get(0).measurements.size() >= 3);
        }, 120);
        if ("RolledBack".equals(releases.lastRollout(name).getStatus().phase)) {
            revertedBeforeBreach++;
            client.resources(Release.class).inNamespace(NS).withName(name).delete();
            return null;
        }
        long change = System.nanoTime();
        traffic.set(NS, name, 2, new SyntheticTraffic.Behaviour(rate / 2, errorRatio, 0.1, 0));
        long deadline = change + limitSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline && !pinnedAt.containsKey(name)) {
            Thread.sleep(20);
        }
        Long pinned = pinnedAt.get(name);
        client.resources(Release.class).inNamespace(NS).withName(name).delete();
        traffic.set(NS, name, 1, new SyntheticTraffic.Behaviour(0, 0, 0.1, 0));
        traffic.set(NS, name, 2, new SyntheticTraffic.Behaviour(0, 0, 0.1, 0));
        return pinned == null ? null : (pinned - change) / 1e9;
    }

}
