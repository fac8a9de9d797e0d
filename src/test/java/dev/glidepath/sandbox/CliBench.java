package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl glidepath list} over 1000 Releases in 10 namespaces of the sandbox, run as a user runs it
 * ({@code bin/kubectl-glidepath} from the packaged jars, JVM start included), beside {@code kubectl get releases -A}
 * (its discovery cache warm, as a user's is): median and largest wall time of CLI_RUNS runs (default 10) each.
 */
public final class CliBench {
    private CliBench() {
    }

    public static void main(String[] args) {
        try {
            run();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run() throws Exception {
        int releases = Integer.parseInt(System.getenv().getOrDefault("CLI_RELEASES", "1000"));
        int runs = Integer.parseInt(System.getenv().getOrDefault("CLI_RUNS", "10"));
        try (Sandbox sandbox = Sandbox.start()) {
            KubernetesClient client = sandbox.client();
            String[] phases = {"Healthy", "Healthy", "Healthy", "Paused", "Progressing", "AwaitingApproval", "Degraded", "RolledBack"};
            for (int n = 0; n < 10; n++) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-" + n).endMetadata().build()).create();
            }
            for (int i = 0; i < releases; i++) {
                String ns = "team-" + (i % 10);
                Release r = client.resource(Releases.canary(ns, "app-" + i, "app:1", 2, CanaryStep.weight(20), CanaryStep.pause(null),
                        CanaryStep.weight(60))).create();
                ReleaseStatus s = new ReleaseStatus();
                s.phase = phases[i % phases.length];
                s.stableRevision = 1;
                s.currentRevision = 2;
                s.version = "1";
                s.message = "bench";
                if (!"Healthy".equals(s.phase) && !"RolledBack".equals(s.phase)) {
                    s.rollout = new RolloutProgress();
                    s.rollout.stepIndex = 1;
                    s.rollout.toRevision = 2;
                    s.canaryWeight = 20;
                }
                r.setStatus(s);
                client.resource(r).updateStatus();
            }
            Path dir = Files.createTempDirectory("cli-bench");
            Path kubeconfig = dir.resolve("config");
            Files.writeString(kubeconfig, sandbox.kubeconfig());
            Path cache = dir.resolve("kubectl-cache");
            timed(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir", cache.toString(), "get", "releases", "-A"),
                    kubeconfig, dir, 1); // fills kubectl's discovery cache, as a user's is
            Timing glidepath = timed(List.of(Path.of("bin", "kubectl-glidepath").toAbsolutePath().toString(), "list"), kubeconfig, dir, runs);
            Timing kubectl = timed(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir", cache.toString(), "get",
                    "releases", "-A"), kubeconfig, dir, runs);
            System.out.printf("%d Releases in 10 namespaces, %d runs each as a process:%n", releases, runs);
            System.out.printf("| kubectl glidepath list | %d ms | %d ms | %d lines |%n", glidepath.p50(), glidepath.max(), glidepath.lines());
            System.out.printf("| kubectl get releases -A | %d ms | %d ms | %d lines |%n", kubectl.p50(), kubectl.max(), kubectl.lines());
        }
    }

    private record Timing(long p50, long max, long lines) {
    }

    /** Runs a command {@code runs} times with the kubeconfig; the median and largest wall time, JVM start included. */
    private static Timing timed(List<String> command, Path kubeconfig, Path dir, int runs) throws Exception {
        long[] millis = new long[runs];
        long lines = 0;
        for (int k = 0; k < runs; k++) {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            Path out = dir.resolve("out-" + k);
            long start = System.nanoTime();
            Process p = pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
            }
            millis[k] = (System.nanoTime() - start) / 1_000_000;
            try (var l = Files.lines(out)) {
                lines = l.count();
            }
        }
        Arrays.sort(millis);
        return new Timing(millis[runs / 2], millis[runs - 1], lines);
    }
}
