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
 * Then latency: healthy canaries whose request durations are the stable revision's (log-normal, median 95 ms,
 * p99 about 240 ms, noisy counts), JUDGE_LATENCY_HEALTHY (20) per method watched JUDGE_WATCH seconds, and
 * JUDGE_RUNS breaches where the new revision's durations double (its p99 twice the stable one's), at 100
 * requests/s; the fixed threshold is the p99 over 10s at most twice the stable revision's. Then promotion:
 * JUDGE_PROMOTION_RUNS (5) healthy canaries (1% errors like the stable revision, 100 requests/s) per
 * {@code advance} mode through four steps of 30 s, the time from the image update to Healthy on the new
 * revision, JUDGE_PROMOTION_LIMIT (360 s) at most. JUDGE_SECTIONS (errors,latency,promotion) picks the parts.
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
            List<String> sections = List.of(System.getenv().getOrDefault("JUDGE_SECTIONS", "errors,latency,promotion").split(","));
            if (sections.contains("errors")) {
                bench.falseReverts(env("JUDGE_HEALTHY", 50), env("JUDGE_WATCH", 60));
                bench.breaches(env("JUDGE_RUNS", 10), list("JUDGE_RATES", "100,1000"), list("JUDGE_TIMES", "5,30"),
                        env("JUDGE_BREACH_LIMIT", 60));
            }
            if (sections.contains("latency")) {
                bench.latency(env("JUDGE_LATENCY_HEALTHY", 20), env("JUDGE_WATCH", 60), env("JUDGE_RUNS", 10), env("JUDGE_BREACH_LIMIT", 60));
            }
            if (sections.contains("promotion")) {
                bench.promotion(env("JUDGE_PROMOTION_RUNS", 5), env("JUDGE_PROMOTION_LIMIT", 360));
            }
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

    /** What decides: a fixed threshold or the judge, on errors or on latency. */
    private enum Method {
        ERROR_THRESHOLD, ERROR_JUDGE, LATENCY_THRESHOLD, LATENCY_JUDGE;

        boolean judged() {
            return this == ERROR_JUDGE || this == LATENCY_JUDGE;
        }

        String label() {
            return judged() ? "judge" : "threshold";
        }
    }

    private Release release(String name, Method method) {
        return release(name, method, CanaryStep.weight(50), CanaryStep.pause(null));
    }

    private Release release(String name, Method method, CanaryStep... steps) {
        Release r = Releases.canary(NS, name, name + ":1", 2, steps);
        AnalysisSpec a = switch (method) {
            case ERROR_JUDGE -> {
                MetricSpec m = new MetricSpec();
                m.name = "errors-vs-stable";
                m.judge = new JudgeSpec();
                m.judge.errors = COUNT.formatted(",code=~\"5..\"");
                m.judge.requests = COUNT.formatted("");
                yield Analyses.of(prometheus, "1s", m);
            }
            // The fixed threshold at the same tolerance: 1.5x the stable revision's 2%.
            case ERROR_THRESHOLD -> Analyses.of(prometheus, "1s", Analyses.errorRate("10s", 0.03));
            case LATENCY_JUDGE -> {
                // The standard latency rule: no PromQL written.
                AnalysisSpec standard = Analyses.of(prometheus, "1s");
                standard.metrics = null;
                standard.standard = List.of("latency");
                yield standard;
            }
            case LATENCY_THRESHOLD -> {
                // "p99 above twice the stable revision's" as a fixed comparison of two 10s quantiles.
                MetricSpec m = Analyses.p99Latency("10s", 0);
                m.threshold.max = null;
                m.threshold.maxStableRatio = 2.0;
                yield Analyses.of(prometheus, "1s", m);
            }
        };
        a.inconclusiveLimit = 30;
        r.getSpec().analysis = a;
        return r;
    }

    private void falseReverts(int runs, int watchSeconds) throws Exception {
        healthyCanaries("", runs, watchSeconds, new SyntheticTraffic.Behaviour(50, 0.02, 0.1, 0),
                new SyntheticTraffic.Behaviour(50, 0.021, 0.1, 0), Map.of(Method.ERROR_THRESHOLD, "fixed threshold (rate[10s] <= 0.03)",
                        Method.ERROR_JUDGE, "judge (maxRatio 1.5, alpha 0.01)"),
                "healthy canaries (Poisson counts, 100 requests/s, stable 2%, new 2.1%, tolerance 3%)");
    }

    /**
     * Healthy canaries for each method (the map's order does not matter: threshold first), updated together and
     * watched for a while; prints how many of each were reverted.
     */
    private void healthyCanaries(String prefix, int runs, int watchSeconds, SyntheticTraffic.Behaviour stable,
            SyntheticTraffic.Behaviour canary, Map<Method, String> methods, String what) throws Exception {
        List<Method> order = methods.keySet().stream().sorted(java.util.Comparator.comparing(Method::judged)).toList();
        List<String> names = new ArrayList<>();
        for (Method method : order) {
            for (int i = 0; i < runs; i++) {
                String name = prefix + method.label() + "-healthy-" + i;
                traffic.set(NS, name, 1, stable);
                traffic.set(NS, name, 2, canary);
                client.resource(release(name, method)).create();
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
        System.out.println("| " + what + ", watched " + watchSeconds + " s | canaries | falsely reverted |");
        System.out.println("|---|---:|---:|");
        for (Method method : order) {
            long reverted = names.stream().filter(n -> n.startsWith(prefix + method.label() + "-")).map(releases::lastRollout)
                    .filter(r -> r != null && "RolledBack".equals(r.getStatus().phase)).count();
            System.out.printf("| %s | %d | %d |%n", methods.get(method), runs, reverted);
        }
    }

    private void breaches(int runs, List<Double> rates, List<Double> times, int limitSeconds) throws Exception {
        System.out.println();
        System.out.println("| breach: stable 1% → new at | requests/s | threshold p50 / p95 | judge p50 / p95 |");
        System.out.println("|---|---:|---:|---:|");
        for (double rate : rates) {
            for (double x : times) {
                StringBuilder row = new StringBuilder(String.format("| %.0fx | %.0f |", x, rate));
                for (Method method : List.of(Method.ERROR_THRESHOLD, Method.ERROR_JUDGE)) {
                    SyntheticTraffic.Behaviour healthy = new SyntheticTraffic.Behaviour(rate / 2, 0.01, 0.1, 0);
                    SyntheticTraffic.Behaviour broken = new SyntheticTraffic.Behaviour(rate / 2, Math.min(1, 0.01 * x), 0.1, 0);
                    row.append(breachCell(runs, limitSeconds, i -> String.format("%s-%.0f-%.0f-%d", method.label(), rate, x, i),
                            method, healthy, broken));
                }
                System.out.println(row);
            }
        }
    }

    /** A table cell: p50 / p95 seconds from the breach to all traffic on stable over a number of breaches. */
    private String breachCell(int runs, int limitSeconds, java.util.function.IntFunction<String> names, Method method,
            SyntheticTraffic.Behaviour healthy, SyntheticTraffic.Behaviour broken) throws Exception {
        revertedBeforeBreach = 0;
        List<Double> seconds = new ArrayList<>();
        int missed = 0;
        for (int i = 0; i < runs; i++) {
            Double s = breach(names.apply(i), method, healthy, broken, limitSeconds);
            if (s == null) {
                missed++;
            } else {
                seconds.add(s);
            }
        }
        double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return (seconds.isEmpty() ? " — " : String.format(" %.1f / %.1f s", BenchReleases.pct(sorted, 50), BenchReleases.pct(sorted, 95)))
                + (missed - revertedBeforeBreach > 0 ? " (" + (missed - revertedBeforeBreach) + " of " + runs + " not reverted)" : "")
                + (revertedBeforeBreach > 0 ? " (" + revertedBeforeBreach + " reverted before the breach)" : "") + " |";
    }

    /** One breach; seconds from the change to the stable Service pinned, or null when not reverted within the limit. */
    private Double breach(String name, Method method, SyntheticTraffic.Behaviour healthy, SyntheticTraffic.Behaviour broken,
            int limitSeconds) throws Exception {
        traffic.set(NS, name, 1, healthy);
        traffic.set(NS, name, 2, healthy);
        client.resource(release(name, method)).create();
        BenchReleases.await(() -> "Healthy".equals(releases.phase(name)), 120);
        releases.setImage(name, name + ":2");
        // Taking traffic and measured a few times (a latency judge's boundary placed): then the new version breaks. A canary reverted before that (a
        // false revert of the healthy version) is counted apart.
        BenchReleases.await(() -> {
            Rollout r = releases.lastRollout(name);
            return r != null && r.getSpec().toRevision == 2 && r.getStatus() != null && (!"Progressing".equals(r.getStatus().phase)
                    && !"Paused".equals(r.getStatus().phase) && r.getStatus().phase != null
                    || r.getStatus().analysis != null && !r.getStatus().analysis.isEmpty()
                    && r.getStatus().analysis.get(0).measurements.stream().filter(m -> m.value != null || m.counts != null).count() >= 3);
        }, 120);
        if ("RolledBack".equals(releases.lastRollout(name).getStatus().phase)) {
            revertedBeforeBreach++;
            client.resources(Release.class).inNamespace(NS).withName(name).delete();
            return null;
        }
        long change = System.nanoTime();
        traffic.set(NS, name, 2, broken);
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

    /** Request durations: log-normal, median 95 ms, spread 0.4 (p99 about 240 ms, just under the 250 ms bucket). */
    private static SyntheticTraffic.Behaviour durations(double requestsPerSecond, double medianSeconds) {
        return new SyntheticTraffic.Behaviour(requestsPerSecond, 0.01, medianSeconds, 0, 0.4);
    }

    private void latency(int healthyRuns, int watchSeconds, int runs, int limitSeconds) throws Exception {
        healthyCanaries("latency-", healthyRuns, watchSeconds, durations(50, 0.095), durations(50, 0.095),
                Map.of(Method.LATENCY_THRESHOLD, "fixed threshold (p99 over 10s <= 2x the stable's)",
                        Method.LATENCY_JUDGE, "judge (standard latency: quantile 0.99, maxRatio 2)"),
                "healthy canaries, latency (durations as the stable revision's: log-normal, median 95 ms, noisy counts,"
                        + " 100 requests/s)");
        System.out.println();
        System.out.println("| breach | requests/s | threshold p50 / p95 | judge p50 / p95 |");
        System.out.println("|---|---:|---:|---:|");
        StringBuilder row = new StringBuilder("| every duration doubled (p99 2x the stable's) | 100 |");
        for (Method method : List.of(Method.LATENCY_THRESHOLD, Method.LATENCY_JUDGE)) {
            row.append(breachCell(runs, limitSeconds, i -> "latency-" + method.label() + "-slow-" + i, method, durations(50, 0.095),
                    durations(50, 0.19)));
        }
        System.out.println(row);
    }

    /** Healthy canaries through four 30 s steps: how long from the image update to Healthy on the new revision. */
    private void promotion(int runs, int limitSeconds) throws Exception {
        Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> names = new ArrayList<>();
        for (String advance : List.of("OnPass", "UnlessFailed")) {
            for (int i = 0; i < runs; i++) {
                String name = "promote-" + advance.toLowerCase(java.util.Locale.ROOT) + "-" + i;
                SyntheticTraffic.Behaviour same = new SyntheticTraffic.Behaviour(50, 0.01, 0.1, 0);
                traffic.set(NS, name, 1, same);
                traffic.set(NS, name, 2, same);
                Release r = release(name, Method.ERROR_JUDGE, CanaryStep.weight(20), CanaryStep.pause("30s"), CanaryStep.weight(40),
                        CanaryStep.pause("30s"), CanaryStep.weight(60), CanaryStep.pause("30s"), CanaryStep.weight(80), CanaryStep.pause("30s"));
                r.getSpec().replicas = 5;
                r.getSpec().analysis.advance = advance;
                client.resource(r).create();
                names.add(name);
            }
        }
        for (String name : names) {
            BenchReleases.await(() -> "Healthy".equals(releases.phase(name)), 120);
        }
        for (String name : names) {
            releases.setImage(name, name + ":2");
            started.put(name, System.nanoTime());
        }
        Map<String, Double> promotedAfter = new java.util.concurrent.ConcurrentHashMap<>();
        long deadline = System.nanoTime() + limitSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline && promotedAfter.size() < names.size()) {
            for (String name : names) {
                if (!promotedAfter.containsKey(name)) {
                    Release r = client.resources(Release.class).inNamespace(NS).withName(name).get();
                    if (r.getStatus() != null && "Healthy".equals(r.getStatus().phase) && r.getStatus().stableRevision != null
                            && r.getStatus().stableRevision == 2) {
                        promotedAfter.put(name, (System.nanoTime() - started.get(name)) / 1e9);
                    }
                }
            }
            Thread.sleep(200);
        }
        System.out.println();
        System.out.println("| healthy canary (1% errors like the stable revision, 100 requests/s), steps 4 x 30 s | canaries |"
                + " promoted after p50 / max | not promoted within " + limitSeconds + " s | reverted |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String advance : List.of("OnPass", "UnlessFailed")) {
            String prefix = "promote-" + advance.toLowerCase(java.util.Locale.ROOT) + "-";
            double[] sorted = promotedAfter.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue)
                    .sorted().toArray();
            long reverted = names.stream().filter(n -> n.startsWith(prefix)).map(releases::lastRollout)
                    .filter(r -> r != null && "RolledBack".equals(r.getStatus().phase)).count();
            System.out.printf("| `advance: %s` | %d | %s | %d | %d |%n", advance, runs, sorted.length == 0 ? "—"
                    : String.format("%.0f / %.0f s", BenchReleases.pct(sorted, 50), sorted[sorted.length - 1]),
                    runs - sorted.length - reverted, reverted);
        }
    }

}
