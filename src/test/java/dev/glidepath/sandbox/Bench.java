package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * `make bench`: for each size (100, then 1000 Releases) on a fresh sandbox, creates canary Releases spread over a
 * few namespaces and waits until all are Healthy, updates every image and waits until all are Healthy on revision 2,
 * waits for the sandbox to go quiet, idles and counts the API requests, then measures the heap. Prints a table for
 * the README. BENCH_SIZES ("100,1000"), BENCH_IDLE_SECONDS (60) and BENCH_TIMEOUT_SECONDS (per phase, 300) override
 * the defaults. The sandbox API server, the simulator and Maven (exec:java) share the operator's JVM: the heap
 * figures say so, and the operator's own share is measured as the drop in heap when it stops.
 */
public final class Bench {
    private static final int NAMESPACES = 4;
    private static final Duration READY_DELAY = Duration.ofMillis(50);
    private static final String IMAGE = "registry.example.com/app:";
    private static final String PATCH_IMAGE = "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
            + "\"value\":\"" + IMAGE + "2.0\"}]";

    /** The operator's and the client libraries' log lines would drown the figures. Held so they stay set. */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("dev.glidepath"),
            java.util.logging.Logger.getLogger("io.javaoperatorsdk"),
            java.util.logging.Logger.getLogger("io.fabric8"));

    private final int size;
    private final int idleSeconds;
    private final Duration timeout;
    /** Table row → formatted figure, filled as the phases complete (so a failed run still shows how far it got). */
    private final Map<String, String> figures = new LinkedHashMap<>();

    private Bench(int size, int idleSeconds, Duration timeout) {
        this.size = size;
        this.idleSeconds = idleSeconds;
        this.timeout = timeout;
    }

    public static void main(String[] args) {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        Map<Integer, Map<String, String>> results = new LinkedHashMap<>();
        int status = 0;
        try {
            int[] sizes = Arrays.stream(System.getenv().getOrDefault("BENCH_SIZES", "100,1000").split(","))
                    .map(String::trim).mapToInt(Integer::parseInt).toArray();
            int idle = Integer.parseInt(System.getenv().getOrDefault("BENCH_IDLE_SECONDS", "60"));
            Duration timeout = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_TIMEOUT_SECONDS", "300")));
            for (int size : sizes) {
                Bench bench = new Bench(size, idle, timeout);
                results.put(size, bench.figures);
                bench.run();
            }
        } catch (Throwable t) {
            System.err.println("bench failed: " + t);
            t.printStackTrace();
            status = 1;
        }
        printTable(results);
        System.exit(status);
    }

    private void run() throws Exception {
        System.out.printf("%n== %d Releases in %d namespaces (canary: setWeight 50, pause 1s; 2 replicas; pods ready"
                + " %d ms after a scale-up)%n", size, NAMESPACES, READY_DELAY.toMillis());
        try (Sandbox sandbox = Sandbox.start();
                WorkloadSimulator simulator = new WorkloadSimulator(sandbox.client(), READY_DELAY).start()) {
            KubernetesClient client = sandbox.client();
            for (int i = 0; i < NAMESPACES; i++) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace(i)).endMetadata()
                        .build()).create();
            }
            SharedIndexInformer<Release> releases = client.resources(Release.class).inAnyNamespace().inform();
            long heapSandboxOnly = SandboxProbe.heapAfterGc();

            // The operator gets its own client (same configuration), so its requests can be told from the
            // simulator's and the bench's: they all reach the one sandbox and its log does not say who sent what.
            ClientRequestCounter operatorRequests = new ClientRequestCounter();
            ReconcileCounter reconciles = new ReconcileCounter();
            KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(client.getConfiguration())
                    .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("bench-count", operatorRequests))
                    .build();
            OperatorHarness operator = OperatorHarness.start(operatorClient, Clock.systemUTC(), reconciles);

            double seconds = timed("create → all Healthy", "creates", i -> client.resource(Releases.canary(namespace(i),
                    name(i), IMAGE + "1.0", 2, CanaryStep.weight(50), CanaryStep.pause("1s"))).create(),
                    () -> await(releases, 1, reconciles));

            var reconcileMark = reconciles.now();
            var operatorMark = operatorRequests.now();
            int logMark = sandbox.requests().size();
            seconds = timed("image update → all Healthy on rev 2", "image patches", i -> client.resources(Release.class)
                    .inNamespace(namespace(i)).withName(name(i)).patch(PatchContext.of(PatchType.JSON), PATCH_IMAGE),
                    () -> await(releases, 2, reconciles));
            var update = reconciles.now().minus(reconcileMark);
            var operatorUpdate = operatorRequests.now().minus(operatorMark);
            long deploymentStatuses = RequestCounts.of(sandbox.requests().since(logMark)).get("PUT deployments/status");
            System.out.printf("update: %d reconciles (%d failed), %.1f ms each in the reconciler; operator requests: %s%n",
                    update.finished(), update.failed(), update.meanMillis(), operatorUpdate);
            System.out.printf("update: the simulator wrote %d Deployment statuses (%.0f/s)%n", deploymentStatuses,
                    deploymentStatuses / seconds);
            figures.put("reconciles/s during the update", String.format("%.0f", update.finished() / seconds));
            figures.put("reconciles per Release (update)", String.format("%.1f", (double) update.finished() / size));
            figures.put("mean time in the reconciler (update)", String.format("%.0f ms", update.meanMillis()));
            figures.put("reconciler threads busy on average (JOSDK pool: 50)", String.format("%.1f",
                    update.nanosInReconciler() / 1e9 / seconds));
            figures.put("operator reads / writes per Release (update)", String.format("%.1f / %.1f",
                    (double) operatorUpdate.reads() / size, (double) operatorUpdate.writes() / size));
            // Writes of the operator's answered 409 Conflict (Deployments, Services, Release statuses, Rollouts; the
            // simulator's status writes excluded): each costs a retry of the reconcile.
            var updateRequests = sandbox.requests().since(logMark);
            long deploymentConflicts = updateRequests.stream().filter(e -> e.code() == 409 && e.isWrite()
                    && e.path().matches(".*/deployments/[^/]+$")).count();
            long allConflicts = updateRequests.stream().filter(e -> e.code() == 409 && e.isWrite()
                    && (e.path().matches(".*/deployments/[^/]+$") || e.path().contains("/services/")
                    || e.path().contains("/releases/") || e.path().contains("/rollouts"))).count();
            figures.put("409 conflicts per 1000 rollouts: Deployment writes / all operator writes", String.format("%.0f / %.0f",
                    deploymentConflicts * 1000.0 / size, allConflicts * 1000.0 / size));

            SandboxProbe.awaitQuiet(sandbox.requests());
            System.out.printf("idle for %d s...%n", idleSeconds);
            logMark = sandbox.requests().size();
            operatorMark = operatorRequests.now();
            reconcileMark = reconciles.now();
            Thread.sleep(idleSeconds * 1000L);
            var operatorIdle = operatorRequests.now().minus(operatorMark);
            var allIdle = RequestCounts.of(sandbox.requests().since(logMark));
            long idleReconciles = reconciles.now().minus(reconcileMark).finished();
            System.out.printf("idle: %d reconciles; operator requests: %s; all requests: %s%n", idleReconciles,
                    operatorIdle, allIdle);
            double perReleaseMinute = 60.0 / idleSeconds / size;
            figures.put("idle: operator reads / writes per Release per min", String.format("%.3f / %.3f",
                    operatorIdle.reads() * perReleaseMinute, operatorIdle.writes() * perReleaseMinute));
            figures.put("idle: all clients' reads / writes per Release per min", String.format("%.3f / %.3f",
                    allIdle.reads() * perReleaseMinute, allIdle.writes() * perReleaseMinute));
            figures.put("idle: reconciles", String.valueOf(idleReconciles));

            long heapWithOperator = SandboxProbe.heapAfterGc();
            operator.stop();
            operatorClient.close();
            long heapOperatorStopped = SandboxProbe.heapAfterGc();
            releases.close();
            figures.put("heap: sandbox only, before the operator", mib(heapSandboxOnly));
            figures.put("heap: after idle, sandbox + operator", mib(heapWithOperator));
            figures.put("heap: difference", mib(heapWithOperator - heapSandboxOnly));
            figures.put("heap: operator's share (drop when it stops)", mib(heapWithOperator - heapOperatorStopped));
            System.out.println("sandbox holds " + SandboxProbe.contents(client));
            figures.put("sandbox latency when idle: GET / PATCH", SandboxProbe.latency(client, namespace(0), name(0)));
        }
    }

    /** Sends one request per Release, then awaits the outcome; seconds from the first request to the outcome. */
    private double timed(String label, String what, IntConsumer request, Awaited outcome) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < size; i++) {
            request.accept(i);
        }
        double sending = seconds(start);
        System.out.printf("%d %s sent in %.1f s (%.0f ms each)%n", size, what, sending, sending * 1000 / size);
        outcome.await();
        figures.put(label, String.format("%.1f s", seconds(start)));
        figures.put("  of which sending the " + what, String.format("%.1f s", sending));
        return seconds(start);
    }

    private interface Awaited {
        void await() throws InterruptedException;
    }

    /** Waits until every Release in the informer's cache is Healthy on {@code revision}; prints progress every 10 s. */
    private void await(SharedIndexInformer<Release> releases, int revision, ReconcileCounter reconciles)
            throws InterruptedException {
        String what = "Healthy on revision " + revision;
        Predicate<Release> done = r -> r.getStatus() != null && "Healthy".equals(r.getStatus().phase)
                && Integer.valueOf(revision).equals(r.getStatus().stableRevision);
        long start = System.nanoTime();
        for (long nextReport = 10;; Thread.sleep(50)) {
            List<Release> all = releases.getStore().list();
            long matching = all.stream().filter(done).count();
            if (matching == size) {
                System.out.printf("all %d %s %.1f s after the last request was sent%n", size, what, seconds(start));
                return;
            }
            boolean timedOut = seconds(start) >= timeout.toSeconds();
            if (seconds(start) >= nextReport || timedOut) {
                Map<String, Long> phases = all.stream().collect(Collectors.groupingBy(r -> r.getStatus() == null
                        ? "none" : r.getStatus().phase + " rev " + r.getStatus().stableRevision, TreeMap::new,
                        Collectors.counting()));
                System.out.printf("  %3.0f s: %d/%d %s, %d reconciles so far, %s%n", seconds(start), matching, size, what,
                        reconciles.now().finished(), phases);
                if (timedOut) {
                    throw new IllegalStateException("only " + matching + "/" + size + " " + what + " after " + timeout);
                }
                nextReport += 10;
            }
        }
    }

    private static String namespace(int i) {
        return "bench-" + (i % NAMESPACES);
    }

    private static String name(int i) {
        return String.format("app-%04d", i);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / 1048576.0);
    }

    private static void printTable(Map<Integer, Map<String, String>> results) {
        List<String> rows = new ArrayList<>();
        results.values().forEach(f -> f.keySet().stream().filter(k -> !rows.contains(k)).forEach(rows::add));
        if (rows.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("| |" + results.keySet().stream().map(n -> " " + n + " Releases |").collect(Collectors.joining()));
        System.out.println("|---|" + "---:|".repeat(results.size()));
        rows.forEach(row -> System.out.println("| " + row + " | " + results.values().stream()
                .map(f -> f.getOrDefault(row, "–")).collect(Collectors.joining(" | ")) + " |"));
    }
}
