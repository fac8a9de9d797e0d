package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.Approval;
import dev.glidepath.api.v1alpha1.ApprovalSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.cli.Cli;
import dev.glidepath.cli.CliException;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command of {@code kubectl glidepath} against the sandbox, with the real operator acting on what it writes. */
class KubectlGlidepathIT extends SandboxTest {

    record Run(int exit, String out, String err) {
    }

    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(sandbox.cliClients(NS), Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A canary of two replicas paused at 50% until promoted, on revision 2. */
    private void pausedCanary(String name, CanaryStep... more) {
        List<CanaryStep> steps = new ArrayList<>(List.of(CanaryStep.weight(50), CanaryStep.pause(null)));
        steps.addAll(List.of(more));
        create(Releases.canary(NS, name, name + ":1", 2, steps.toArray(CanaryStep[]::new)));
        awaitPhase(name, "Healthy");
        update(name, name + ":2");
        awaitPhase(name, "Paused");
    }

    private static boolean healthyOn(Release r, int revision) {
        return "Healthy".equals(r.getStatus().phase) && Integer.valueOf(revision).equals(r.getStatus().stableRevision)
                && r.getStatus().rollout == null;
    }

    @Test
    void listShowsEveryNamespaceWithThoseWaitingForAPersonFirst() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("payments").endMetadata().build()).create();
        client.resource(Releases.canary("payments", "api", "api:1", 1, CanaryStep.weight(50))).create();
        pausedCanary("cart");
        Eventually.until(() -> client.resources(Release.class).inNamespace("payments").withName("api").get().getStatus() != null
                && "Healthy".equals(client.resources(Release.class).inNamespace("payments").withName("api").get().getStatus().phase));

        Run all = cli("list");
        assertThat(all.exit()).isZero();
        List<String> lines = all.out().lines().toList();
        assertThat(lines.get(0)).contains("NAMESPACE").contains("PHASE").contains("TYPE").contains("WEIGHT").contains("STEP").contains("WAITING FOR");
        assertThat(lines.get(1)).contains("apps").contains("cart").contains("Paused").contains("50%").contains("2/2").contains("» promote");
        assertThat(lines.get(2)).contains("payments").contains("api").contains("Healthy");

        Run one = cli("list", "-n", "payments");
        assertThat(one.out()).contains("api").doesNotContain("cart");
        assertThat(cli("list", "-n", "nowhere").out()).contains("No Releases in namespace nowhere");
    }

    @Test
    void promoteTakesAPausedCanaryOnAndIsRefusedWhenNothingIsInFlight() {
        pausedCanary("cart");
        Run status = cli("status", "cart");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("Phase:       Paused   (needs you: promote)").contains("Weight:      50%")
                .contains("✔ 0: setWeight 50").contains("▶ 1: pause");

        Run promote = cli("promote", "cart");
        assertThat(promote.exit()).isZero();
        assertThat(promote.out()).startsWith("promote sent to apps/cart (id ");
        assertThat(get("cart").getSpec().promote.id).isNotBlank();
        awaitRelease("cart", "revision 2 stable", r -> healthyOn(r, 2));

        Run again = cli("promote", "cart");
        assertThat(again.exit()).isEqualTo(CliException.REFUSED);
        assertThat(again.err()).contains("nothing to promote: apps/cart has no rollout in flight (Healthy on revision 2)");
    }

    /** The operator reports a timed pause that runs as Progressing: list and status show the pause and its time left. */
    @Test
    void aTimedPauseShowsItsTimeLeftWhateverThePhase() {
        create(Releases.canary(NS, "feed", "feed:1", 2, CanaryStep.weight(50), CanaryStep.pause("10m"), CanaryStep.weight(75)));
        awaitPhase("feed", "Healthy");
        update("feed", "feed:2");
        awaitRelease("feed", "at the timed pause", r -> r.getStatus().rollout != null && Integer.valueOf(1).equals(r.getStatus().rollout.stepIndex)
                && r.getStatus().rollout.stepStartedAt != null);

        String row = cli("list").out().lines().filter(l -> l.contains("feed")).findFirst().orElseThrow();
        assertThat(row).containsPattern("pause \\((\\d+m)?(\\d+s)? left\\)").doesNotContain("pods").doesNotContain("»");
        assertThat(cli("status", "feed").out()).containsPattern("Waiting for: +pause \\((\\d+m)?(\\d+s)? left\\)");
    }

    @Test
    void promoteFullSkipsEveryRemainingStep() {
        pausedCanary("feed", CanaryStep.weight(75), CanaryStep.pause(null));
        assertThat(cli("promote", "feed", "--full").out()).startsWith("full promote sent to apps/feed");
        assertThat(get("feed").getSpec().promote.full).isTrue();
        awaitRelease("feed", "revision 2 stable", r -> healthyOn(r, 2));
    }

    @Test
    void abortSendsTrafficBackAndStatusWatchExitsNonZero() throws Exception {
        pausedCanary("cart");
        CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() -> cli("status", "cart", "--watch", "--timeout", "60s"));
        Run abort = cli("abort", "cart");
        assertThat(abort.exit()).isZero();
        assertThat(abort.out()).contains("abort sent to apps/cart").contains("all traffic goes back to revision 1");
        Run watched = watching.get(90, TimeUnit.SECONDS);
        assertThat(watched.exit()).isEqualTo(1);
        assertThat(watched.out()).contains("Phase:       Paused").contains("Ended: cart is Degraded.");
        assertThat(cli("abort", "cart").err()).contains("nothing to abort");
    }

    @Test
    void statusWatchExitsZeroWhenHealthyAndSixOnTimeout() throws Exception {
        pausedCanary("cart");
        Run timedOut = cli("status", "cart", "--watch", "--timeout", "1s");
        assertThat(timedOut.exit()).isEqualTo(Cli.TIMED_OUT);
        assertThat(timedOut.err()).contains("timed out after 1s; cart is Paused");

        CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() -> cli("status", "cart", "-w"));
        cli("promote", "cart");
        Run watched = watching.get(90, TimeUnit.SECONDS);
        assertThat(watched.exit()).isZero();
        assertThat(watched.out()).contains("Done: cart is Healthy.");
    }

    @Test
    void rollbackDefaultsToThePreviousStableRevisionAndRetryRollsForwardAgain() {
        create(Releases.blueGreen(NS, "shop", "shop:1", 2, "200ms"));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2");
        awaitRelease("shop", "rev 2", r -> healthyOn(r, 2));
        assertThat(cli("retry", "shop").err()).contains("nothing to retry: apps/shop is Healthy");

        Run notRetained = cli("rollback", "shop", "9");
        assertThat(notRetained.exit()).isEqualTo(CliException.REFUSED);
        assertThat(notRetained.err()).contains("revision 9 of apps/shop is not retained (retained: 2 Stable, 1 Replaced)");
        assertThat(cli("rollback", "shop", "two").exit()).isEqualTo(CliException.USAGE);

        Run rollback = cli("rollback", "shop");
        assertThat(rollback.exit()).isZero();
        assertThat(rollback.out()).startsWith("rollback to revision 1 sent to apps/shop");
        Release back = awaitPhase("shop", "RolledBack");
        assertThat(back.getStatus().stableRevision).isEqualTo(1);

        Run history = cli("history", "shop");
        assertThat(history.exit()).isZero();
        List<String> rows = history.out().lines().toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(2)).contains("1→2").contains("Update").contains("Succeeded");
        assertThat(rows.get(3)).contains("2→1").contains("Rollback");

        // The deployment record of each: by the Rollout's name, or by the Release and the revision it went to.
        String update = rows.get(2).split(" +")[0];
        Run record = cli("record", update);
        assertThat(record.exit()).as(record.err()).isZero();
        assertThat(record.out()).startsWith("# Deployment record: shop 2").containsPattern("\\| Revisions +\\| 1 → 2 +\\|")
                .containsPattern("\\| Phase +\\| Succeeded +\\|").containsPattern("\\| Duration +\\| \\d");
        assertThat(cli("record", "shop", "--revision", "2").out()).isEqualTo(record.out());
        Run rolledBack = cli("record", "shop", "--revision", "1");
        assertThat(rolledBack.out()).containsPattern("\\| Revisions +\\| 2 → 1 +\\|").containsPattern("\\| Reason +\\| Rollback +\\|");

        assertThat(cli("retry", "shop").out()).startsWith("retry sent to apps/shop");
        awaitRelease("shop", "rolled forward to 2", r -> healthyOn(r, 2));
    }

    @Test
    void pauseAndResumeToggleSpecPaused() {
        pausedCanary("cart", CanaryStep.weight(75));
        assertThat(cli("pause", "cart").out()).contains("apps/cart paused");
        assertThat(get("cart").getSpec().paused).isTrue();
        assertThat(cli("pause", "cart").out()).contains("already paused; nothing changed");
        assertThat(cli("list").out()).contains("» resume (spec.paused)");
        assertThat(cli("resume", "cart").out()).contains("apps/cart resumed");
        assertThat(get("cart").getSpec().paused).isFalse();
    }

    @Test
    void approveWithARoleSignsOffAsTheApiServerKnowsYou() {
        sandbox.installApprovalPolicy();
        sandbox.dispatcher().grant("system:masters", "approve", "releases/manager", "till");
        create(Releases.approvedBy(Releases.canary(NS, "till", "till:1", 1, CanaryStep.weight(50)), List.of("manager"), null));
        awaitPhase("till", "Healthy");
        cli("set", "image", "till", "app=till:2");
        Release waiting = awaitPhase("till", "AwaitingApproval");
        assertThat(waiting.getStatus().message).contains("kubectl glidepath approve till --revision 2 --role ROLE");
        assertThat(cli("approve", "till", "--role", "manager", "--revision", "2").out())
                .contains("sandbox-admin approves revision 2 of apps/till for role manager");
        awaitRelease("till", "revision 2 stable", x -> healthyOn(x, 2));
        assertThat(client.resources(Approval.class).inNamespace(NS).list().getItems()).singleElement().satisfies(a -> {
            assertThat(a.getSpec().approver.username).isEqualTo("sandbox-admin");
            assertThat(a.getStatus().counted).isTrue();
        });
        assertThat(cli("approve", "till", "--role", "Manager!").err()).contains("--role: 'Manager!' is not a role name");
    }

    @Test
    void approveLetsTheWaitingRevisionGo() {
        Release r = Releases.canary(NS, "pay", "pay:1", 1, CanaryStep.weight(50));
        create(r);
        awaitPhase("pay", "Healthy");
        assertThat(cli("approve", "pay").err()).contains("apps/pay does not require approval");
        edit("pay", x -> {
            x.getSpec().approval = new ApprovalSpec();
            x.getSpec().approval.required = true;
            return x;
        });
        assertThat(cli("set", "image", "pay", "app=pay:2").out()).contains("container app set to pay:2");
        awaitPhase("pay", "AwaitingApproval");
        assertThat(cli("list").out()).contains("» approval of revision 2");
        assertThat(cli("approve", "pay").out()).contains("revision 2 of apps/pay approved");
        awaitRelease("pay", "revision 2 stable", x -> healthyOn(x, 2));
    }

    @Test
    void setImageNamesTheContainersWhenOneIsWrong() {
        create(Releases.canary(NS, "pay", "pay:1", 1, CanaryStep.weight(50)));
        Run wrong = cli("set", "image", "pay", "web=pay:2");
        assertThat(wrong.exit()).isEqualTo(CliException.REFUSED);
        assertThat(wrong.err()).contains("apps/pay has no container web (containers: app)");
        assertThat(cli("set", "image", "pay", "app").exit()).isEqualTo(CliException.USAGE);
        assertThat(cli("set", "image", "pay", "app=pay:1").out()).contains("already runs pay:1; nothing changed");
    }

    @Test
    void notFoundForbiddenAndUnreachableEachSayWhatIsWrong() throws Exception {
        Run missing = cli("promote", "ghost");
        assertThat(missing.exit()).isEqualTo(CliException.NOT_FOUND);
        assertThat(missing.err()).isEqualTo("error: release ghost not found in namespace apps\n");

        pausedCanary("cart");
        try (AutoCloseable refused = sandbox.dispatcher().refuse("PATCH", "/releases/cart", 403,
                "releases.glidepath.dev \"cart\" is forbidden: User \"dev\" cannot patch resource \"releases\" in API group \"glidepath.dev\""
                        + " in the namespace \"apps\"")) {
            Run forbidden = cli("promote", "cart");
            assertThat(forbidden.exit()).isEqualTo(CliException.FORBIDDEN);
            assertThat(forbidden.err()).contains("forbidden: you may not patch releases.glidepath.dev in namespace apps")
                    .contains("User \"dev\" cannot patch resource");
        }

        Cli.Clients nowhere = new Cli.Clients() {
            @Override
            public KubernetesClient client(String context) {
                var config = new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0)
                        .withConnectionTimeout(2000).build();
                return new KubernetesClientBuilder().withConfig(config).build();
            }

            @Override
            public String namespace(String context) {
                return NS;
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(nowhere, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true)).run(
                new String[] {"list"});
        assertThat(exit).isEqualTo(CliException.UNREACHABLE);
        assertThat(err.toString()).startsWith("error: cannot reach the API server at https://127.0.0.1:1: ");

        Run usage = cli("promote");
        assertThat(usage.exit()).isEqualTo(CliException.USAGE);
        assertThat(usage.err()).contains("promote needs a Release name");
        assertThat(cli("frobnicate", "x").err()).contains("unknown command frobnicate");
        assertThat(cli("list", "--bogus").err()).contains("unknown flag --bogus");
    }

    @Test
    void lintRunsTheOperatorsValidationOffline(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: unrelated}
                ---
                apiVersion: glidepath.dev/v1alpha1
                kind: Release
                metadata: {name: shop}
                spec:
                  service: {name: shop, ports: [{port: 80, targetPort: 8080}]}
                  template:
                    metadata: {labels: {app: shop}}
                    spec: {containers: [{name: app, image: shop:1}]}
                  strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
                """);
        Run ok = cli("lint", good.toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).isEqualTo(good + ": Release shop: ok\n");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(good).replace("setWeight: 20", "setWeight: 150").replace("port: 80,", "port: 70000,"));
        Run refused = cli("lint", bad.toString());
        assertThat(refused.exit()).isEqualTo(CliException.REFUSED);
        assertThat(refused.out()).contains(bad + ": Release shop: spec.strategy.canary.steps[0].setWeight: must be between 0 and 100, got 150")
                .contains("spec.service.ports[0]");

        Files.writeString(dir.resolve("broken.yaml"), "kind: Release\n  spec: [");
        assertThat(cli("lint", dir.resolve("broken.yaml").toString()).err()).contains("not YAML");
        assertThat(cli("lint", dir.resolve("absent.yaml").toString()).exit()).isEqualTo(CliException.NOT_FOUND);
        assertThat(cli("version").out()).isEqualTo("kubectl-glidepath " + Cli.VERSION + "\n");
    }

    /** The CLI as its own process, with a kubeconfig of two contexts: the current one's namespace is the default. */
    @Test
    void asAProcessItUsesTheKubeconfigItsCurrentContextAndContextFlag(@TempDir Path dir) throws Exception {
        pausedCanary("cart");
        Path kubeconfig = dir.resolve("config");
        String server = sandbox.client().getMasterUrl().toString().replaceAll("/$", "");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: sandbox, cluster: {server: "%s"}}]
                users: [{name: oncall, user: {token: t}}]
                contexts:
                  - {name: apps, context: {cluster: sandbox, user: oncall, namespace: apps}}
                  - {name: payments, context: {cluster: sandbox, user: oncall, namespace: payments}}
                current-context: apps
                """.formatted(server));
        Run status = process(kubeconfig, "status", "cart");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("Release:     apps/cart").contains("Weight:      50%");
        Run elsewhere = process(kubeconfig, "status", "cart", "--context", "payments");
        assertThat(elsewhere.exit()).isEqualTo(CliException.NOT_FOUND);
        assertThat(elsewhere.err()).isEqualTo("error: release cart not found in namespace payments\n");
        assertThat(process(kubeconfig, "list", "--context", "staging").err()).contains("context staging not found in the kubeconfig");
        Run none = process(dir.resolve("absent"), "list");
        assertThat(none.exit()).isEqualTo(CliException.UNREACHABLE);
        assertThat(none.err()).contains("no kubeconfig: KUBECONFIG is set to " + dir.resolve("absent") + ", which does not exist")
                .contains("pass --kubeconfig FILE");
        // --kubeconfig, as kubectl users type it, wins over KUBECONFIG.
        Run named = process(dir.resolve("absent"), "status", "cart", "--kubeconfig", kubeconfig.toString());
        assertThat(named.exit()).as(named.err()).isZero();
        assertThat(named.out()).contains("Release:     apps/cart");
    }

    private static Run process(Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp", System.getProperty("java.class.path"),
                Cli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().remove("KUBERNETES_SERVICE_HOST");
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not end within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
