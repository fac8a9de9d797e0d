package dev.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.RequestCounts;
import dev.glidepath.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl glidepath} in-process with its production clients ({@link KubeconfigClients}: the kubeconfig, the
 * timeouts), against the sandbox or a server that never answers. The environment is given, not the JVM's.
 */
class CliTest {
    private static final String NS = "apps";

    @TempDir
    Path dir;
    private Sandbox sandbox;
    private KubernetesClient client;

    record Run(int exit, String out, String err, Duration took) {
    }

    @BeforeEach
    void start() {
        sandbox = Sandbox.start();
        client = sandbox.client();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    /** The CLI as {@code main} builds it, in an environment without KUBECONFIG and a home of its own. */
    private Run cli(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KubeconfigClients clients = new KubeconfigClients(environment, dir.resolve("home"), null, KubeconfigClients.REQUEST_TIMEOUT);
        long start = System.nanoTime();
        int exit = new Cli(clients, Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private Run cli(String... args) {
        return cli(Map.of(), args);
    }

    private Path kubeconfig(String server) throws IOException {
        Path file = dir.resolve("config-" + Math.abs(server.hashCode()));
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "%s"}}]
                users: [{name: oncall, user: {token: t}}]
                contexts:
                  - {name: apps, context: {cluster: c, user: oncall, namespace: apps}}
                  - {name: payments, context: {cluster: c, user: oncall, namespace: payments}}
                current-context: apps
                """.formatted(server));
        return file;
    }

    /** A Release with its status, a Rollout and the namespace, as the operator would leave them. */
    private void pausedCanary(String ns, String name) {
        if (client.namespaces().withName(ns).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        Release r = client.resource(Releases.canary(ns, name, name + ":1", 2, CanaryStep.weight(20), CanaryStep.pause(null))).create();
        ReleaseStatus s = new ReleaseStatus();
        s.phase = "Paused";
        s.stableRevision = 1;
        s.currentRevision = 2;
        s.canaryWeight = 20;
        s.deploymentType = "Standard";
        s.rollout = new RolloutProgress();
        s.rollout.name = name + "-2";
        s.rollout.toRevision = 2;
        s.rollout.stepIndex = 1;
        r.setStatus(s);
        client.resource(r).updateStatus();
        Rollout rollout = new Rollout();
        rollout.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name + "-2").withLabels(Map.of(Release.LABEL, name)).build());
        rollout.setSpec(new RolloutSpec());
        rollout.getSpec().release = name;
        rollout.getSpec().toRevision = 2;
        client.resource(rollout).create();
    }

    @Test
    void kubeconfigIsAcceptedAsKubectlTakesItWithOrWithoutAnEqualsSign() throws IOException {
        pausedCanary(NS, "cart");
        Path file = kubeconfig(sandbox.url());
        Run spaced = cli("status", "cart", "--kubeconfig", file.toString());
        assertThat(spaced.exit()).as(spaced.err()).isZero();
        assertThat(spaced.out()).contains("Release:     apps/cart");
        Run joined = cli("--kubeconfig=" + file, "list", "-n", NS);
        assertThat(joined.exit()).as(joined.err()).isZero();
        assertThat(joined.out()).contains("cart");
        // The context's namespace comes from the file named.
        Run elsewhere = cli("--kubeconfig", file.toString(), "--context", "payments", "status", "cart");
        assertThat(elsewhere.exit()).isEqualTo(CliException.NOT_FOUND);
        assertThat(elsewhere.err()).isEqualTo("error: release cart not found in namespace payments\n");

        Run absent = cli("list", "--kubeconfig", dir.resolve("absent").toString());
        assertThat(absent.exit()).isEqualTo(CliException.USAGE);
        assertThat(absent.err()).contains("--kubeconfig: " + dir.resolve("absent") + " does not exist");
        Run noContext = cli("list", "--kubeconfig", file.toString(), "--context", "staging");
        assertThat(noContext.exit()).isEqualTo(CliException.USAGE);
        assertThat(noContext.err()).contains("--context: context staging not found in the kubeconfig " + file);
        assertThat(cli("list", "--kubeconfig").err()).contains("--kubeconfig needs a value");
    }

    @Test
    void requestTimeoutRefusesWhatIsNotAPositiveDurationNamingTheFlag() {
        Run zero = cli("list", "--request-timeout", "0s");
        assertThat(zero.exit()).isEqualTo(CliException.USAGE);
        assertThat(zero.err()).contains("--request-timeout: must be more than 0s and at most 24h, got 0s");
        assertThat(cli("list", "--request-timeout=soon").err()).contains("--request-timeout: 'soon' is not a duration");
    }

    @Test
    void withoutAnyKubeconfigTheMessageSaysWhatWasLookedForAndWhatToDo() {
        Run none = cli("list");
        assertThat(none.exit()).isEqualTo(CliException.UNREACHABLE);
        assertThat(none.err()).isEqualTo("error: no kubeconfig: ~/.kube/config does not exist, KUBECONFIG is not set, and this is not running"
                + " in a pod; pass --kubeconfig FILE\n");

        Run named = cli(Map.of("KUBECONFIG", dir.resolve("absent").toString()), "list");
        assertThat(named.exit()).isEqualTo(CliException.UNREACHABLE);
        assertThat(named.err()).isEqualTo("error: no kubeconfig: KUBECONFIG is set to " + dir.resolve("absent")
                + ", which does not exist, and this is not running in a pod; pass --kubeconfig FILE\n");
    }

    @Test
    void aServerThatTakesTheConnectionAndNeverAnswersIsUnreachableNamedWithinTheRequestTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-api-server");
            acceptor.setDaemon(true);
            acceptor.start();
            String address = "http://127.0.0.1:" + silent.getLocalPort();
            Path file = kubeconfig(address);

            Run list = cli("list", "--kubeconfig", file.toString());
            assertThat(list.exit()).as(list.err()).isEqualTo(CliException.UNREACHABLE);
            assertThat(list.err()).isEqualTo("error: cannot reach the API server at " + address
                    + ": it took the connection but sent no answer within 10s (--request-timeout)\n");
            // The default request timeout is 10 s; a busy machine may add to it, but not make it minutes.
            assertThat(list.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(9)).isLessThan(Duration.ofSeconds(60));
            assertThat(held).isNotEmpty();

            Run quick = cli("status", "cart", "--kubeconfig", file.toString(), "--request-timeout", "1s");
            assertThat(quick.exit()).isEqualTo(CliException.UNREACHABLE);
            assertThat(quick.err()).contains("at " + address + ": it took the connection but sent no answer within 1s");
            assertThat(quick.took()).isLessThan(Duration.ofSeconds(30));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void listSendsOneListOfReleasesAndNothingElse() throws IOException {
        for (int i = 0; i < 5; i++) {
            pausedCanary(i % 2 == 0 ? NS : "payments", "app-" + i);
        }
        Path file = kubeconfig(sandbox.url());

        int mark = sandbox.requests().size();
        Run all = cli("list", "--kubeconfig", file.toString());
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out().lines()).hasSize(6);
        assertThat(RequestCounts.of(sandbox.requests().since(mark)).byKind()).isEqualTo(Map.of("GET releases", 1L));
        assertThat(sandbox.requests().since(mark).get(0).path()).isEqualTo("/apis/glidepath.dev/v1alpha1/releases");

        mark = sandbox.requests().size();
        Run one = cli("list", "-n", "payments", "--kubeconfig", file.toString());
        assertThat(one.out().lines()).hasSize(3);
        assertThat(sandbox.requests().since(mark)).extracting(e -> e.method() + " " + e.path())
                .containsExactly("GET /apis/glidepath.dev/v1alpha1/namespaces/payments/releases");
    }

    @Test
    void listShowsEachReleasesShardOnlyWhereReleasesAreSharded() throws IOException {
        pausedCanary(NS, "cart");
        Path file = kubeconfig(sandbox.url());
        assertThat(cli("list", "--kubeconfig", file.toString()).out()).doesNotContain("SHARD");

        Release blue = Releases.canary(NS, "search", "search:1", 2, CanaryStep.weight(20), CanaryStep.pause(null));
        blue.getMetadata().getLabels().put(Release.SHARD_LABEL, "blue");
        client.resource(blue).create();
        List<String> lines = cli("list", "--kubeconfig", file.toString()).out().lines().toList();
        assertThat(lines.get(0)).containsPattern("NAME +SHARD +PHASE");
        String search = lines.stream().filter(l -> l.contains("search")).findFirst().orElseThrow();
        String cart = lines.stream().filter(l -> l.contains("cart")).findFirst().orElseThrow();
        assertThat(search.indexOf("blue")).isEqualTo(lines.get(0).indexOf("SHARD"));
        assertThat(search).contains("the operator of shard blue (not reconciled yet)");
        assertThat(cart.substring(lines.get(0).indexOf("SHARD"))).startsWith("- ");
    }

    @Test
    void listAndStatusShowTheDeploymentType() throws IOException {
        pausedCanary(NS, "cart");
        Release hotfix = client.resources(Release.class).inNamespace(NS).withName("cart").get();
        hotfix.getStatus().deploymentType = "Hotfix";
        client.resource(hotfix).updateStatus();
        Path file = kubeconfig(sandbox.url());
        List<String> lines = cli("list", "--kubeconfig", file.toString()).out().lines().toList();
        assertThat(lines.get(0)).containsPattern("PHASE +TYPE +VERSION");
        assertThat(lines.get(0).indexOf("TYPE")).isEqualTo(lines.get(1).indexOf("Hotfix"));
        assertThat(cli("status", "cart", "--kubeconfig", file.toString()).out()).contains("Type:        Hotfix\n");
    }

    @Test
    void recordPrintsTheDeploymentRecordOfARolloutOrOfTheRolloutToARevision() throws IOException {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("prod").endMetadata().build()).create();
        Rollout written = client.resource(DeploymentRecordTest.hotfix()).create();
        written.setStatus(DeploymentRecordTest.hotfix().getStatus());
        client.resource(written).updateStatus();
        String expected = DeploymentRecord.markdown(DeploymentRecordTest.hotfix());
        Path file = kubeconfig(sandbox.url());

        Run byName = cli("record", "shop-7", "-n", "prod", "--kubeconfig", file.toString());
        assertThat(byName.exit()).as(byName.err()).isZero();
        assertThat(byName.out()).isEqualTo(expected);
        Run byRevision = cli("record", "shop", "--revision", "7", "-n", "prod", "--kubeconfig", file.toString());
        assertThat(byRevision.exit()).as(byRevision.err()).isZero();
        assertThat(byRevision.out()).isEqualTo(expected);

        Run noRevision = cli("record", "shop", "--revision=9", "-n", "prod", "--kubeconfig", file.toString());
        assertThat(noRevision.exit()).isEqualTo(CliException.NOT_FOUND);
        assertThat(noRevision.err()).isEqualTo("error: no Rollout of prod/shop went to revision 9 (its Rollouts went to 7)\n");
        Run noRelease = cli("record", "gone", "--revision", "1", "-n", "prod", "--kubeconfig", file.toString());
        assertThat(noRelease.exit()).isEqualTo(CliException.NOT_FOUND);
        assertThat(noRelease.err()).isEqualTo("error: release gone not found in namespace prod\n");
        Run noRollout = cli("record", "shop-9", "-n", "prod", "--kubeconfig", file.toString());
        assertThat(noRollout.exit()).isEqualTo(CliException.NOT_FOUND);
        assertThat(noRollout.err()).startsWith("error: rollout shop-9 not found in namespace prod");
        assertThat(cli("record", "--kubeconfig", file.toString()).exit()).isEqualTo(CliException.USAGE);
        Run badRevision = cli("record", "shop", "--revision", "seven", "--kubeconfig", file.toString());
        assertThat(badRevision.exit()).isEqualTo(CliException.USAGE);
        assertThat(badRevision.err()).contains("--revision: must be a revision number (1, 2, 3 ...), got seven");
    }
}
