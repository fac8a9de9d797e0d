package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.install.PackagedOperator;
import dev.glidepath.sandbox.scale.DeploymentController;
import dev.glidepath.sandbox.scale.JvmReadings;
import dev.glidepath.sandbox.scale.RequestTally;
import dev.glidepath.sandbox.scale.ScaleSandbox;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * `make bench`: for each size (1000, 5000, 10 000 Releases) on a fresh {@link ScaleSandbox} API with a fresh
 * operator process (the packaged application, -Xmx3g, reaching the API through a kubeconfig), creates canary
 * Releases over a few namespaces and waits until all are Healthy, updates every image and waits until all are
 * Healthy on revision 2, waits for quiet, idles, and reads the operator's process from outside: heap after a full
 * GC, RSS, CPU time, and at the API its requests (it presents a token of its own) and the 409s its writes met.
 * {@link DeploymentController} plays the Deployment controller. Prints a table for the README; saves the operator's
 * class histogram to target/bench/. BENCH_SIZES ("1000,5000,10000"), BENCH_IDLE_SECONDS (60) and
 * BENCH_TIMEOUT_SECONDS (per phase; 300 + size/10 by default) override the defaults.
 */
public final class Bench {
    private static final int NAMESPACES = 10;
    private static final String OPERATOR = "glidepath-operator";
    private static final Duration POD_READY_STEP = Duration.ofMillis(50);
    private static final int CONTROLLER_THREADS = 4;
    private static final int SENDERS = 4;
    private static final Duration OPERATOR_STARTUP = Duration.ofSeconds(120);
    private static final Path OUTPUT = Path.of("target", "bench");
    private static final String IMAGE = "registry.example.com/app:";
    private static final String PATCH_IMAGE = "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
            + "\"value\":\"" + IMAGE + "2.0\"}]";

    /** The client libraries' log lines would drown the figures. Held so they stay set. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("io.fabric8"), Logger.getLogger("io.vertx"));

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
        QUIET.forEach(l -> l.setLevel(Level.WARNING));
        Map<Integer, Map<String, String>> results = new LinkedHashMap<>();
        int status = 0;
        try {
            if (!PackagedOperator.isCurrent()) {
                throw new IllegalStateException("no current package in target/quarkus-app: run ./mvnw package -DskipTests");
            }
            int[] sizes = Arrays.stream(System.getenv().getOrDefault("BENCH_SIZES", "1000,5000,10000").split(","))
                    .map(String::trim).mapToInt(Integer::parseInt).toArray();
            int idle = Integer.parseInt(System.getenv().getOrDefault("BENCH_IDLE_SECONDS", "60"));
            String timeout = System.getenv("BENCH_TIMEOUT_SECONDS");
            for (int size : sizes) {
                Bench bench = new Bench(size, idle, Duration.ofSeconds(timeout == null ? 300 + size / 10 : Long.parseLong(timeout)));
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
        System.out.printf("%n== %d Releases in %d namespaces (canary: setWeight 50, pause 1s; 2 replicas; a pod available"
                + " every %d ms)%n", size, NAMESPACES, POD_READY_STEP.toMillis());
        try (ScaleSandbox api = ScaleSandbox.start();
                DeploymentController controller = new DeploymentController(api.client("deployment-controller"),
                        POD_READY_STEP, CONTROLLER_THREADS).start()) {
            KubernetesClient client = api.client();
            for (int i = 0; i < NAMESPACES; i++) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace(i)).endMetadata()
                        .build()).create();
            }
            SharedIndexInformer<Release> releases = client.resources(Release.class).inAnyNamespace().inform();
            Path kubeconfig = api.kubeconfig(OUTPUT.resolve("kubeconfig-" + size), OPERATOR);
            List<String> options = new ArrayList<>(List.of("-Xmx3g"));
            // BENCH_OPERATOR_OPTS: more JVM options for the operator, e.g. a flight recording to profile it.
            options.addAll(Arrays.stream(System.getenv().getOrDefault("BENCH_OPERATOR_OPTS", "").split(" ")).filter(o -> !o.isBlank()).toList());
            try (PackagedOperator operator = PackagedOperator.start("bench-" + size, kubeconfig, options)) {
                JvmReadings jvm = new JvmReadings(operator.pid());
                awaitWatching(api.api().tally(), operator);
                measure(api, controller, releases, operator, jvm);
            }
        }
    }

    private void measure(ScaleSandbox api, DeploymentController controller, SharedIndexInformer<Release> releases,
            PackagedOperator operator, JvmReadings jvm) throws Exception {
        KubernetesClient client = api.client();
        RequestTally tally = api.api().tally();
        long cpu = jvm.cpuMillis();
        var traffic = tally.now();
        long controllerWrites = controller.statusWrites();
        long controllerConflicts = controller.conflicts();
        for (String phase : List.of("create", "update")) {
            boolean create = phase.equals("create");
            if (create) {
                timed("create → all Healthy", "creates", i -> client.resource(Releases.canary(namespace(i), name(i),
                        IMAGE + "1.0", 2, CanaryStep.weight(50), CanaryStep.pause("1s"))).create(), () -> await(releases, 1, operator));
            } else {
                timed("image update → all Healthy on rev 2", "image patches", i -> client.resources(Release.class)
                        .inNamespace(namespace(i)).withName(name(i)).patch(PatchContext.of(PatchType.JSON), PATCH_IMAGE),
                        () -> await(releases, 2, operator));
            }
            long cpuNow = jvm.cpuMillis();
            var trafficNow = tally.now();
            var sent = trafficNow.minus(traffic);
            var byOperator = sent.of(OPERATOR);
            long conflicts = sent.count(r -> r.client().equals(OPERATOR) && r.isWrite() && r.code() == 409);
            System.out.printf("%s: operator requests %s%n", phase, byOperator);
            System.out.printf("%s: operator requests answered other than 2xx: %s%n", phase, sent.counts().entrySet().stream()
                    .filter(e -> e.getKey().client().equals(OPERATOR) && e.getKey().code() >= 300)
                    .map(e -> e.getKey().kind() + " " + e.getKey().code() + " ×" + e.getValue()).collect(Collectors.joining(", ")));
            figures.put("operator CPU per rollout (" + phase + ")", String.format("%.1f ms", (double) (cpuNow - cpu) / size));
            figures.put("operator requests per Release (" + phase + "): reads / writes", String.format("%.1f / %.1f",
                    (double) byOperator.reads() / size, (double) byOperator.writes() / size));
            figures.put("409 answers to operator writes per 1000 rollouts (" + phase + ")",
                    String.format("%.0f", conflicts * 1000.0 / size));
            figures.put("Deployment status writes per Release, of which 409 (" + phase + ")", String.format("%.1f, %.2f",
                    (double) (controller.statusWrites() - controllerWrites) / size,
                    (double) (controller.conflicts() - controllerConflicts) / size));
            cpu = cpuNow;
            traffic = trafficNow;
            controllerWrites = controller.statusWrites();
            controllerConflicts = controller.conflicts();
        }

        awaitQuiet(tally, controller);
        System.out.printf("idle for %d s...%n", idleSeconds);
        var before = tally.now();
        Thread.sleep(idleSeconds * 1000L);
        var idle = tally.now().minus(before);
        System.out.printf("idle: operator requests: %s; all writes: %d%n", idle.of(OPERATOR), idle.count(RequestTally.Request::isWrite));
        double perMinute = 60.0 / idleSeconds;
        figures.put("idle minute: operator reads / writes", String.format("%.0f / %.0f",
                idle.of(OPERATOR).reads() * perMinute, idle.of(OPERATOR).writes() * perMinute));
        figures.put("idle minute: writes by all clients", String.format("%.0f", idle.count(RequestTally.Request::isWrite) * perMinute));

        long heap = jvm.heapAfterGc();
        figures.put("operator heap after full GC", mib(heap));
        figures.put("  per Release", String.format("%.1f KiB", heap / 1024.0 / size));
        figures.put("operator RSS", mib(jvm.rss()));
        saveHistogram(jvm.classHistogram());
        System.out.println("the API holds " + api.api().counts());
        figures.put("objects in the API", String.valueOf(api.api().counts().values().stream().mapToInt(Integer::intValue).sum()));
    }

    /** Waits until the operator process watches Releases, i.e. its informers have listed and started. */
    private static void awaitWatching(RequestTally tally, PackagedOperator operator) throws InterruptedException {
        long start = System.nanoTime();
        while (tally.now().of(OPERATOR).get("GET releases watch") == 0) {
            if (!operator.isAlive() || seconds(start) > OPERATOR_STARTUP.toSeconds()) {
                throw new IllegalStateException("the operator did not start watching Releases within " + OPERATOR_STARTUP
                        + "; it printed:\n" + operator.output());
            }
            Thread.sleep(200);
        }
        System.out.printf("operator watching %.1f s after it was started%n", seconds(start));
    }

    /** Waits until no client has sent a request for 3 s and the Deployment controller has caught up (at most 2 min). */
    private static void awaitQuiet(RequestTally tally, DeploymentController controller) throws InterruptedException {
        long start = System.nanoTime();
        long quietSince = System.nanoTime();
        long seen = -1;
        while (seconds(quietSince) < 3 && seconds(start) < 120) {
            Thread.sleep(200);
            long total = tally.now().count(r -> true);
            if (total != seen || controller.backlog() > 0) {
                seen = total;
                quietSince = System.nanoTime();
            }
        }
        System.out.printf("quiet %.1f s later%n", seconds(start) - seconds(quietSince));
    }

    /**
     * Sends one request per Release ({@value #SENDERS} at a time, as several users would), then awaits the outcome;
     * seconds from the first request to the outcome.
     */
    private void timed(String label, String what, IntConsumer request, Awaited outcome) throws InterruptedException {
        long start = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> sent = IntStream.range(0, size).mapToObj(i -> senders.submit(() -> request.accept(i)))
                    .collect(Collectors.toList());
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a request failed", e.getCause());
        } finally {
            senders.shutdownNow();
        }
        double sending = seconds(start);
        System.out.printf("%d %s sent in %.1f s (%.1f ms each)%n", size, what, sending, sending * 1000 / size);
        outcome.await();
        figures.put(label, String.format("%.1f s", seconds(start)));
        figures.put("  of which sending the " + what, String.format("%.1f s", sending));
    }

    private interface Awaited {
        void await() throws InterruptedException;
    }

    /** Waits until every Release in the informer's cache is Healthy on {@code revision}; prints progress every 10 s. */
    private void await(SharedIndexInformer<Release> releases, int revision, PackagedOperator operator)
            throws InterruptedException {
        String what = "Healthy on revision " + revision;
        Predicate<Release> done = r -> r.getStatus() != null && "Healthy".equals(r.getStatus().phase)
                && Integer.valueOf(revision).equals(r.getStatus().stableRevision);
        long start = System.nanoTime();
        for (long nextReport = 10;; Thread.sleep(100)) {
            List<Release> all = releases.getStore().list();
            long matching = all.stream().filter(done).count();
            if (matching == size) {
                System.out.printf("all %d %s %.1f s after the last request was sent%n", size, what, seconds(start));
                return;
            }
            boolean failed = seconds(start) >= timeout.toSeconds() || !operator.isAlive();
            if (seconds(start) >= nextReport || failed) {
                Map<String, Long> phases = all.stream().collect(Collectors.groupingBy(r -> r.getStatus() == null
                        ? "none" : r.getStatus().phase + " rev " + r.getStatus().stableRevision, TreeMap::new,
                        Collectors.counting()));
                System.out.printf("  %3.0f s: %d/%d %s, %s%n", seconds(start), matching, size, what, phases);
                if (failed) {
                    throw new IllegalStateException("only " + matching + "/" + size + " " + what + " after "
                            + Math.round(seconds(start)) + " s" + (operator.isAlive() ? "" : "; the operator exited"));
                }
                nextReport += 10;
            }
        }
    }

    /** Keeps the top 40 lines of the operator's class histogram in target/bench/ and prints the top 15. */
    private void saveHistogram(List<String> histogram) throws IOException {
        Files.createDirectories(OUTPUT);
        Path file = OUTPUT.resolve("heap-histogram-" + size + ".txt");
        List<String> kept = new ArrayList<>(histogram.stream().limit(43).toList());
        histogram.stream().filter(l -> l.startsWith("Total")).forEach(kept::add);
        Files.write(file, kept);
        System.out.println("operator heap histogram (top 15; top 40 in " + file + "):");
        histogram.stream().limit(18).forEach(System.out::println);
        histogram.stream().filter(l -> l.startsWith("Total")).forEach(System.out::println);
    }

    private static String namespace(int i) {
        return "bench-" + (i % NAMESPACES);
    }

    private static String name(int i) {
        return String.format("app-%05d", i);
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
