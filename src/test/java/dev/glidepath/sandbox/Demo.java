package dev.glidepath.sandbox;

import dev.glidepath.api.v1alpha1.Approval;
import dev.glidepath.api.v1alpha1.ApprovalSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.ChangeSpec;
import dev.glidepath.api.v1alpha1.HotfixSpec;
import dev.glidepath.api.v1alpha1.JudgeSpec;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.cli.DeploymentRecord;
import dev.glidepath.upstream.UpstreamClusters;
import dev.glidepath.workload.Labels;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * `make demo`: the operator on an embedded sandbox API. Applies deploy/examples/, then walks through a
 * canary promoted step by step (with one on-call promote), a blue-green switch, a broken version aborted
 * by the progress deadline, a rollback by `kubectl patch`, a 5% → 25% → 50% canary through a Gateway API
 * HTTPRoute with testers routed by header first, an application adopted from a plain Deployment and then scaled
 * with `kubectl scale` mid-canary, a release with an approval gate and a database migration, a hotfix approved by
 * two roles, a Freeze, promotion from staging in the same cluster and from a second sandbox playing another
 * cluster, a canary reverted by Prometheus analysis, canaries judged statistically against their stable revision
 * (one promoted, one reverted) and a latency regression reverted by the standard latency rule, printing a timeline
 * as it goes.
 * Set GLIDEPATH_SANDBOX_PORT to choose the API port, GLIDEPATH_DEMO_HOLD=1 to keep it running afterwards.
 */
public final class Demo {
    private static final String NS = "demo";
    /** The upstream cluster the demo's second sandbox plays, and the Secret holding its kubeconfig. */
    private static final String STAGING_CLUSTER = "staging-cluster";
    private static final String STAGING_KUBECONFIG = "staging-kubeconfig";

    private final KubernetesClient client;
    private final Timeline timeline;
    private final Sandbox sandbox;

    /** A second API server playing the staging cluster, with its own operator and simulator, up for the whole demo. */
    private final Sandbox stagingCluster;

    private Demo(Sandbox sandbox, KubernetesClient client, Timeline timeline, Sandbox stagingCluster) {
        this.sandbox = sandbox;
        this.stagingCluster = stagingCluster;
        this.client = client;
        this.timeline = timeline;
    }

    /** The timeline tells the story; the operator's own log lines would repeat it. Held so they stay set. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.List.of(
            java.util.logging.Logger.getLogger("dev.glidepath"),
            java.util.logging.Logger.getLogger("io.javaoperatorsdk"),
            java.util.logging.Logger.getLogger("io.fabric8"));

    public static void main(String[] args) {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        try {
            runDemo();
        } catch (Throwable t) {
            System.err.println("demo failed: " + t);
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void runDemo() throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("GLIDEPATH_SANDBOX_PORT", "0"));
        // The staging cluster is closed last, after this cluster's operator stopped watching it.
        try (Sandbox stagingCluster = Sandbox.start();
                WorkloadSimulator stagingPods = new WorkloadSimulator(stagingCluster.client(), Duration.ofMillis(300)).start();
                OperatorHarness stagingOperator = OperatorHarness.start(stagingCluster.newClient());
                Sandbox sandbox = Sandbox.start(port);
                WorkloadSimulator simulator = new WorkloadSimulator(sandbox.client(), Duration.ofMillis(800)).start();
                // This cluster's operator may read the upstream cluster "staging-cluster" through the kubeconfig in
                // the Secret glidepath-system/staging-kubeconfig (glidepath.upstream-clusters).
                OperatorHarness operator = OperatorHarness.start(sandbox.newClient(),
                        UpstreamClusters.parse(List.of(STAGING_CLUSTER + "=" + STAGING_KUBECONFIG)))) {
            KubernetesClient client = sandbox.client();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            System.out.println("Glidepath sandbox API at " + sandbox.url());
            System.out.println("Watch it with: kubectl --server=" + sandbox.url()
                    + " --cache-dir=$(mktemp -d) -n demo get releases,rollouts (set GLIDEPATH_DEMO_HOLD=1 to keep it up)");
            System.out.println();
            try (Timeline timeline = new Timeline(client, NS, System.out)) {
                new Demo(sandbox, client, timeline, stagingCluster).run();
            }
            printTables(client);
            if ("1".equals(System.getenv("GLIDEPATH_DEMO_HOLD"))) {
                System.out.println("Holding the sandbox open; Ctrl-C to stop.");
                Thread.currentThread().join();
            }
        }
    }

    private void run() throws Exception {
        timeline.say("kubectl apply -f deploy/examples/canary.yaml -f deploy/examples/blue-green.yaml");
        apply("canary.yaml");
        apply("blue-green.yaml");
        await("storefront", "Healthy", r -> "Healthy".equals(r.getStatus().phase));
        await("checkout", "Healthy", r -> "Healthy".equals(r.getStatus().phase));

        timeline.say("new storefront version 1.5.0: a canary in steps");
        setImage("storefront", "registry.example.com/storefront:1.5.0");
        await("storefront", "waiting at the manual pause", r -> "Paused".equals(r.getStatus().phase)
                && r.getStatus().rollout != null && r.getStatus().rollout.toRevision == 2);
        String promote = "{\"spec\":{\"promote\":{\"id\":\"" + Instant.now().getEpochSecond() + "\"}}}";
        timeline.say("on-call promotes: kubectl patch release storefront --type merge -p '" + promote + "'");
        patch("storefront", promote);
        await("storefront", "revision 2 stable", r -> "Healthy".equals(r.getStatus().phase) && r.getStatus().stableRevision == 2);

        timeline.say("new checkout version 2.1.0: blue-green with a preview");
        setImage("checkout", "registry.example.com/checkout:2.1.0");
        await("checkout", "revision 2 stable", r -> "Healthy".equals(r.getStatus().phase) && r.getStatus().stableRevision == 2);

        timeline.say("the next storefront build is broken (its pods never become ready); progress deadline 6s");
        patch("storefront", "{\"spec\":{\"progressDeadline\":\"6s\"}}");
        setImage("storefront", "registry.example.com/storefront:broken");
        await("storefront", "aborted", r -> "Degraded".equals(r.getStatus().phase));

        String rollback = "{\"spec\":{\"rollback\":{\"revision\":1,\"id\":\"" + Instant.now().getEpochSecond() + "\"}}}";
        timeline.say("checkout 2.1.0 misbehaves; on-call rolls back: kubectl patch release checkout --type merge -p '"
                + rollback + "'");
        patch("checkout", rollback);
        await("checkout", "rolled back", r -> "RolledBack".equals(r.getStatus().phase));
        routedCanary();
        adoptedThenScaled();
        migratedWithApproval();
        hotfixApprovedByTwo();
        frozen();
        promotedFromStaging();
        promotedAcrossClusters();
        analysedCanary();
        judgedCanaries();
        timeline.say("done");
    }

    /**
     * deploy/examples/canary-with-analysis.yaml against synthetic traffic: a real Prometheus (1s scrape)
     * when one is installed, else a stand-in answering the same queries. The new version's error rate
     * jumps at the manual pause; the analysis reverts it.
     */
    private void analysedCanary() throws Exception {
        try (SyntheticTraffic traffic = new SyntheticTraffic()) {
            SyntheticTraffic.Behaviour healthy = new SyntheticTraffic.Behaviour(40, 0.002, 0.12, 0.001);
            SyntheticTraffic.Behaviour failing = new SyntheticTraffic.Behaviour(40, 0.25, 0.12, 0.01);
            for (int revision = 1; revision <= 2; revision++) {
                traffic.set(NS, "search", revision, healthy);
            }
            AutoCloseable prometheus;
            String address;
            if (RealPrometheus.binary().isPresent()) {
                RealPrometheus real = RealPrometheus.start(traffic.target());
                real.awaitSample("rate(http_requests_total{glidepath_dev_release=\"search\"}[1m])", Duration.ofSeconds(30));
                prometheus = real;
                address = real.address();
                timeline.say("search: canary measured by a real Prometheus at " + address + " scraping synthetic traffic every 1s");
            } else {
                FakePrometheus fake = new FakePrometheus();
                java.util.concurrent.atomic.AtomicReference<Double> errorRate = new java.util.concurrent.atomic.AtomicReference<>(0.002);
                fake.answer(q -> q.contains("code=~") ? FakePrometheus.Answer.value(errorRate.get()) : FakePrometheus.Answer.value(0.12));
                traffic.close();
                prometheus = fake;
                address = fake.address();
                timeline.say("search: prometheus is not installed; a stand-in answers the queries with synthetic values");
                this.failNow = () -> errorRate.set(0.25);
            }
            try (AutoCloseable closing = prometheus) {
                Release r = Serialization.unmarshal(Files.readString(Path.of("deploy", "examples", "canary-with-analysis.yaml")),
                        Release.class);
                r.getMetadata().setNamespace(NS);
                r.getSpec().analysis.prometheus.address = address;
                r.getSpec().analysis.interval = "1s";
                r.getSpec().analysis.postPromotion = null;
                r.getSpec().strategy.canary.steps = java.util.List.of(CanaryStep.weight(25),
                        CanaryStep.pause("3s"), CanaryStep.weight(50),
                        CanaryStep.pause(null));
                timeline.say("kubectl apply -f deploy/examples/canary-with-analysis.yaml (intervals shortened for the demo)");
                client.resource(r).create();
                await("search", "Healthy", x -> "Healthy".equals(x.getStatus().phase));
                setImage("search", "registry.example.com/search:3.3.0");
                await("search", "paused at 50%", x -> "Paused".equals(x.getStatus().phase));
                timeline.say("search 3.3.0 starts failing a quarter of its requests");
                if (failNow != null) {
                    failNow.run();
                } else {
                    traffic.set(NS, "search", 2, failing);
                }
                await("search", "reverted", x -> "Degraded".equals(x.getStatus().phase));
            }
        }
    }

    private Runnable failNow;

    /**
     * The statistical judge on noisy counts (Poisson arrivals, binomial failures): a canary whose error rate is
     * as the stable one's (2%) is promoted; one failing 12% of its requests is reverted; and one whose requests
     * all take twice as long (its p99 doubled) is reverted by the standard latency rule, asked for in one line.
     * Through a real Prometheus when one is installed, else a stand-in answering the count and histogram queries
     * from the same workload.
     */
    private void judgedCanaries() throws Exception {
        try (SyntheticTraffic traffic = SyntheticTraffic.poisson(7L)) {
            for (String name : List.of("orders", "payments")) {
                traffic.set(NS, name, 1, new SyntheticTraffic.Behaviour(100, 0.02, 0.1, 0));
                traffic.set(NS, name, 2, new SyntheticTraffic.Behaviour(100, name.equals("payments") ? 0.12 : 0.02, 0.1, 0));
            }
            // Durations log-normal around 95 ms (p99 about 240 ms); pricing 2.0.0 takes twice as long for every request.
            traffic.set(NS, "pricing", 1, new SyntheticTraffic.Behaviour(100, 0.01, 0.095, 0, 0.4));
            traffic.set(NS, "pricing", 2, new SyntheticTraffic.Behaviour(100, 0.01, 0.19, 0, 0.4));
            AutoCloseable prometheus;
            String address;
            if (RealPrometheus.binary().isPresent()) {
                RealPrometheus real = RealPrometheus.start(traffic.target());
                real.awaitSample("http_requests_total{glidepath_dev_release=\"orders\"}", Duration.ofSeconds(30));
                prometheus = real;
                address = real.address();
            } else {
                FakePrometheus fake = new FakePrometheus();
                java.util.regex.Pattern revision = java.util.regex.Pattern.compile(
                        "glidepath_dev_release=\"([^\"]+)\",glidepath_dev_revision=\"(\\d+)\"");
                fake.answer(q -> {
                    var m = revision.matcher(q);
                    if (!m.find()) {
                        return FakePrometheus.Answer.noSample();
                    }
                    int rev = Integer.parseInt(m.group(2));
                    return q.contains("_bucket") ? FakePrometheus.Answer.buckets(traffic.buckets(NS, m.group(1), rev))
                            : FakePrometheus.Answer.value(traffic.count(NS, m.group(1), rev, q.contains("5..")));
                });
                prometheus = fake;
                address = fake.address();
            }
            try (AutoCloseable closing = prometheus) {
                timeline.say("orders and payments: canaries judged against their stable revision (2% errors) on noisy counts;"
                        + " orders 2.0.0 fails 2% of its requests too, payments 2.0.0 fails 12%");
                for (String name : List.of("orders", "payments")) {
                    Release r = Releases.canary(NS, name, "registry.example.com/" + name + ":1.0.0", 2, CanaryStep.weight(50),
                            CanaryStep.pause("2s"));
                    MetricSpec judged = new MetricSpec();
                    judged.name = "errors-vs-stable";
                    judged.judge = new JudgeSpec();
                    String count = "sum(http_requests_total{namespace=\"{{namespace}}\",glidepath_dev_release=\"{{release}}\","
                            + "glidepath_dev_revision=\"{{revision}}\"%s})";
                    judged.judge.errors = count.formatted(",code=~\"5..\"");
                    judged.judge.requests = count.formatted("");
                    judged.judge.maxErrorRate = 0.05;
                    r.getSpec().analysis = Analyses.of(address, "1s", judged);
                    r.getSpec().analysis.inconclusiveLimit = 10;
                    client.resource(r).create();
                    await(name, "Healthy", x -> "Healthy".equals(x.getStatus().phase));
                }
                setImage("orders", "registry.example.com/orders:2.0.0");
                setImage("payments", "registry.example.com/payments:2.0.0");
                await("payments", "reverted by the judge", x -> "Degraded".equals(x.getStatus().phase));
                await("orders", "promoted", x -> "Healthy".equals(x.getStatus().phase) && x.getStatus().stableRevision == 2);

                timeline.say("pricing: analysis in one line, standard: [errorRate, latency], no PromQL written;"
                        + " pricing 2.0.0 answers every request twice as slowly (its p99 doubled), with no more errors");
                Release pricing = Releases.canary(NS, "pricing", "registry.example.com/pricing:1.0.0", 2,
                        CanaryStep.weight(50), CanaryStep.pause("30s"));
                pricing.getSpec().analysis = Analyses.of(address, "1s");
                pricing.getSpec().analysis.metrics = null;
                pricing.getSpec().analysis.standard = List.of("errorRate", "latency");
                pricing.getSpec().analysis.inconclusiveLimit = 10;
                client.resource(pricing).create();
                await("pricing", "Healthy", x -> "Healthy".equals(x.getStatus().phase));
                setImage("pricing", "registry.example.com/pricing:2.0.0");
                await("pricing", "reverted by the latency judge", x -> "Degraded".equals(x.getStatus().phase));
                Rollout reverted = client.resources(Rollout.class).inNamespace(NS).withLabel("glidepath.dev/release", "pricing").list()
                        .getItems().stream().filter(x -> x.getSpec().toRevision == 2).findFirst().orElseThrow();
                reverted.getStatus().analysis.stream().filter(a -> "latency-p99".equals(a.name)).findFirst()
                        .flatMap(a -> a.measurements.stream().reduce((first, second) -> second))
                        .ifPresent(m -> timeline.say("pricing latency-p99: " + m.verdict + ", " + m.reason));
            }
        }
    }

    /**
     * deploy/examples/canary-with-route.yaml: a 3-replica Release behind the user's HTTPRoute. Testers first (a
     * header route), then exactly 5%, 25% and 50% of the route's requests, printed as kubectl shows the route.
     */
    private void routedCanary() throws Exception {
        String[] docs = Files.readString(Path.of("deploy", "examples", "canary-with-route.yaml")).split("(?m)^---$");
        HTTPRoute route = Serialization.unmarshal(docs[0], HTTPRoute.class);
        route.getMetadata().setNamespace(NS);
        Release r = Serialization.unmarshal(docs[1], Release.class);
        r.getMetadata().setNamespace(NS);
        timeline.say("kubectl apply -f deploy/examples/canary-with-route.yaml: the HTTPRoute web and a 3-replica Release behind it");
        client.resource(route).create();
        client.resource(r).create();
        await("web", "Healthy", x -> "Healthy".equals(x.getStatus().phase));
        setImage("web", "registry.example.com/web:1.1.0");
        // The pauses after the header route and after each weight.
        for (int step : new int[] {1, 3, 5, 7}) {
            await("web", "step " + step, x -> x.getStatus().rollout != null && x.getStatus().rollout.toRevision == 2
                    && x.getStatus().currentStep != null && x.getStatus().currentStep == step);
            printRouteWeights("web");
        }
        await("web", "revision 2 stable", x -> "Healthy".equals(x.getStatus().phase) && x.getStatus().stableRevision == 2);
        printRouteWeights("web");
    }

    /**
     * deploy/examples/adopt.yaml: an application running as a plain Deployment behind its Service is adopted without
     * downtime; then, mid-canary, on-call scales the Release with {@code kubectl scale}, as an HPA would.
     */
    private void adoptedThenScaled() throws Exception {
        timeline.say("the catalog app runs today as Deployment catalog (3 pods) behind Service catalog");
        client.apps().deployments().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("catalog").endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "catalog").endSelector()
                .withTemplate(Releases.template("catalog", "registry.example.com/catalog:7.0.0")).endSpec().build()).create();
        client.services().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("catalog").endMetadata()
                .withNewSpec().addToSelector("app", "catalog").addNewPort().withName("http").withPort(80).withNewTargetPort(8080)
                .endPort().endSpec().build()).create();
        Instant up = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(up) && !java.util.Optional.ofNullable(client.apps().deployments().inNamespace(NS)
                .withName("catalog").get().getStatus()).map(st -> Integer.valueOf(3).equals(st.getAvailableReplicas())).orElse(false)) {
            Thread.sleep(100);
        }
        Release r = Serialization.unmarshal(Files.readString(Path.of("deploy", "examples", "adopt.yaml")), Release.class);
        r.getMetadata().setNamespace(NS);
        timeline.say("kubectl apply -f deploy/examples/adopt.yaml: the Release adopts it");
        client.resource(r).create();
        await("catalog", "adopted", x -> x.getStatus().adoption != null && x.getStatus().adoption.finishedAt != null);
        kubectl("get deployment catalog (kept, at 0)", List.of("-n", NS, "get", "deployment", "catalog", "-o",
                "jsonpath={.metadata.name} replicas={.spec.replicas}"), () -> "catalog replicas="
                        + client.apps().deployments().inNamespace(NS).withName("catalog").get().getSpec().getReplicas());
        setImage("catalog", "registry.example.com/catalog:7.1.0");
        await("catalog", "at the first pause", x -> x.getStatus().rollout != null && x.getStatus().currentStep != null
                && x.getStatus().currentStep == 1);
        kubectl("scale release catalog --replicas=6 (as an HPA would, through the scale subresource)",
                List.of("-n", NS, "scale", "release", "catalog", "--replicas=6"), () -> {
                    client.resources(Release.class).inNamespace(NS).withName("catalog").scale(6);
                    return "release.glidepath.dev/catalog scaled";
                });
        await("catalog", "revision 2 stable at 6 pods", x -> "Healthy".equals(x.getStatus().phase) && x.getStatus().stableRevision == 2
                && Integer.valueOf(6).equals(x.getStatus().replicas));
    }

    /** Runs {@code kubectl ARGS} against the sandbox and shows what it printed; {@code otherwise} when kubectl is not installed. */
    private void kubectl(String what, List<String> args, java.util.function.Supplier<String> otherwise) {
        String printed = Kubectl.run(client, args).orElseGet(otherwise);
        timeline.say("$ kubectl " + what + "\n" + printed.stripTrailing().indent(4).stripTrailing());
    }

    /**
     * What {@code kubectl get httproute NAME -o jsonpath=...} prints: each rule's backends and weights, one rule
     * per line. Runs kubectl against the sandbox when it is installed; otherwise renders the same from the route.
     */
    private void printRouteWeights(String name) throws Exception {
        String jsonpath = "{range .spec.rules[*]}{range .backendRefs[*]}{.name}={.weight} {end}{\"\\n\"}{end}";
        String command = "kubectl -n " + NS + " get httproute " + name + " -o jsonpath='" + jsonpath + "'";
        String printed = Kubectl.run(client, List.of("-n", NS, "get", "httproute", name, "-o", "jsonpath=" + jsonpath))
                .orElseGet(() -> {
                    StringBuilder out = new StringBuilder();
                    for (var rule : client.resources(HTTPRoute.class).inNamespace(NS).withName(name).get().getSpec().getRules()) {
                        rule.getBackendRefs().forEach(b -> out.append(b.getName()).append('=')
                                .append(b.getWeight() == null ? "" : b.getWeight()).append(' '));
                        out.append('\n');
                    }
                    return out.toString();
                });
        timeline.say("$ " + command + "\n" + printed.stripTrailing().indent(4).stripTrailing());
    }

    /** deploy/examples/canary-with-migration.yaml behind an approval gate: approve, migrate, roll out, contract. */
    private void migratedWithApproval() throws Exception {
        Release r = Serialization.unmarshal(Files.readString(Path.of("deploy", "examples", "canary-with-migration.yaml")),
                Release.class);
        r.getMetadata().setNamespace(NS);
        r.getSpec().approval = new ApprovalSpec();
        r.getSpec().approval.required = true;
        r.getSpec().strategy.canary.steps = java.util.List.of(CanaryStep.weight(33),
                CanaryStep.pause("2s"));
        timeline.say("kubectl apply -f deploy/examples/canary-with-migration.yaml (with spec.approval.required: true)");
        client.resource(r).create();
        await("accounts", "Healthy", x -> "Healthy".equals(x.getStatus().phase));
        setImage("accounts", "registry.example.com/accounts:5.1.0");
        await("accounts", "awaiting approval", x -> "AwaitingApproval".equals(x.getStatus().phase));
        String approve = "{\"spec\":{\"approval\":{\"approvedRevision\":2}}}";
        timeline.say("the release manager approves: kubectl patch release accounts --type merge -p '" + approve + "'");
        patch("accounts", approve);
        await("accounts", "revision 2 stable", x -> "Healthy".equals(x.getStatus().phase) && x.getStatus().stableRevision == 2);
    }

    /**
     * A hotfix needs a manager and security: two people approve it with Approvals the API server vouches for (the
     * sandbox plays the admission policy and RBAC), it goes out, and its Rollout is the deployment record.
     */
    private void hotfixApprovedByTwo() throws Exception {
        sandbox.installApprovalPolicy();
        sandbox.dispatcher().grant("release-managers", "approve", "releases/manager", null);
        sandbox.dispatcher().grant("security-team", "approve", "releases/security", null);
        Release wallet = Releases.approvedBy(Releases.canary(NS, "wallet", "registry.example.com/wallet:4.0.0", 2,
                CanaryStep.weight(50), CanaryStep.pause("2s")), List.of("manager"), List.of("manager", "security"));
        timeline.say("wallet needs a manager for a standard update and a manager and security for a hotfix"
                + " (spec.approval.roles); the admission policy glidepath-approval-identity is installed");
        client.resource(wallet).create();
        await("wallet", "Healthy", r -> "Healthy".equals(r.getStatus().phase));
        timeline.say("INC-4711: wallet 4.0.1 fixes it; kubectl patch release wallet: image 4.0.1, spec.hotfix {revision: 2,"
                + " reason: INC-4711}, spec.change {summary, link}");
        client.resources(Release.class).inNamespace(NS).withName("wallet").edit(r -> {
            r.getSpec().template.getSpec().getContainers().get(0).setImage("registry.example.com/wallet:4.0.1");
            r.getSpec().hotfix = new HotfixSpec();
            r.getSpec().hotfix.revision = 2;
            r.getSpec().hotfix.reason = "INC-4711: card payments time out";
            r.getSpec().change = new ChangeSpec();
            r.getSpec().change.summary = "Raise the card gateway timeout to 5s";
            r.getSpec().change.link = "https://git.example.com/wallet/pull/4711";
            return r;
        });
        await("wallet", "awaiting approval", r -> "AwaitingApproval".equals(r.getStatus().phase));
        approve("bob", "release-managers", "manager");
        approve("carol", "security-team", "security");
        await("wallet", "revision 2 stable", r -> "Healthy".equals(r.getStatus().phase) && r.getStatus().stableRevision == 2);
        Rollout record = client.resources(Rollout.class).inNamespace(NS).withLabel(Labels.RELEASE, "wallet").list().getItems()
                .stream().filter(r -> Integer.valueOf(2).equals(r.getSpec().toRevision)).findFirst().orElseThrow();
        timeline.say("its deployment record (kubectl glidepath record " + record.getMetadata().getName() + "):");
        System.out.println(DeploymentRecord.markdown(record));
    }

    /** {@code user} (in {@code group}) approves revision 2 of wallet for {@code role}, as kubectl apply would as them. */
    private void approve(String user, String group, String role) {
        Approval a = Releases.approval(NS, "wallet-2-" + role, "wallet", 2, role, user, group, "system:authenticated");
        timeline.say(user + " (" + group + ") approves for " + role + ": kubectl apply -f approval.yaml (spec.approver: " + user + ")");
        try (KubernetesClient as = sandbox.clientAs(user, group, "system:authenticated")) {
            as.resource(a).create();
        }
    }

    /** A production Release takes a version only after its staging Release ran it Healthy for a (shortened) soak. */
    private void promotedFromStaging() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("demo-staging").endMetadata().build())
                .createOr(n -> n.update());
        Release staging = Releases.canary("demo-staging", "billing", "registry.example.com/billing:3.0.0", 1,
                CanaryStep.weight(50), CanaryStep.pause("2s"));
        Release production = Releases.canary(NS, "billing", "registry.example.com/billing:3.0.0", 2,
                CanaryStep.weight(50), CanaryStep.pause("2s"));
        production.getSpec().promotion = new dev.glidepath.api.v1alpha1.PromotionSpec();
        var upstream = new dev.glidepath.api.v1alpha1.PromotionSpec.Upstream();
        upstream.namespace = "demo-staging";
        upstream.release = "billing";
        upstream.soak = "5s";
        production.getSpec().promotion.from = java.util.List.of(upstream);
        timeline.say("billing runs in demo-staging and in demo; production has spec.promotion.from: [{namespace: demo-staging,"
                + " release: billing, soak: 5s}]");
        client.resource(staging).create();
        client.resource(production).create();
        await("billing", "Healthy", r -> "Healthy".equals(r.getStatus().phase));
        setImage("billing", "registry.example.com/billing:3.1.0");
        await("billing", "awaiting promotion", r -> "AwaitingPromotion".equals(r.getStatus().phase));
        timeline.say("3.1.0 goes to staging first: kubectl -n demo-staging patch release billing ... (image billing:3.1.0)");
        client.resources(Release.class).inNamespace("demo-staging").withName("billing").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"registry.example.com/billing:3.1.0\"}]");
        await("billing", "soaking", r -> r.getStatus().message != null && r.getStatus().message.contains("waits for the soak"));
        await("billing", "revision 2 stable", r -> "Healthy".equals(r.getStatus().phase) && r.getStatus().stableRevision == 2);
        timeline.say("production took billing 3.1.0 after staging ran it Healthy for 5s; its Rollout records"
                + " spec.promotedFrom: demo-staging/billing");
    }

    /**
     * A second sandbox plays the staging cluster, with an operator of its own; production in this cluster promotes a
     * version only once staging-cluster ran it Healthy for the soak, read through the configured upstream cluster.
     */
    private void promotedAcrossClusters() throws Exception {
        KubernetesClient staging = stagingCluster.client();
        staging.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("web").endMetadata().build()).create();
        staging.resource(Releases.canary("web", "ledger", "registry.example.com/ledger:1.0.0", 1, CanaryStep.weight(50),
                CanaryStep.pause("2s"))).create();
        timeline.say("a second cluster, " + STAGING_CLUSTER + " (its own API server and operator), runs web/ledger 1.0.0; this"
                + " cluster's operator reads it through the kubeconfig in Secret " + OperatorHarness.GLOBAL_FREEZES + "/"
                + STAGING_KUBECONFIG + " (glidepath.upstream-clusters=" + STAGING_CLUSTER + "=" + STAGING_KUBECONFIG + ")");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OperatorHarness.GLOBAL_FREEZES).endMetadata()
                .build()).createOr(n -> n.update());
        client.secrets().inNamespace(OperatorHarness.GLOBAL_FREEZES).resource(new SecretBuilder().withNewMetadata()
                .withName(STAGING_KUBECONFIG).endMetadata().addToStringData(UpstreamClusters.KUBECONFIG_KEY, stagingCluster.kubeconfig())
                .build()).create();
        Release production = Releases.canary(NS, "ledger", "registry.example.com/ledger:1.0.0", 2, CanaryStep.weight(50),
                CanaryStep.pause("2s"));
        production.getSpec().promotion = new dev.glidepath.api.v1alpha1.PromotionSpec();
        var upstream = new dev.glidepath.api.v1alpha1.PromotionSpec.Upstream();
        upstream.cluster = STAGING_CLUSTER;
        upstream.namespace = "web";
        upstream.release = "ledger";
        upstream.soak = "3s";
        production.getSpec().promotion.from = List.of(upstream);
        timeline.say("production ledger has spec.promotion.from: [{cluster: " + STAGING_CLUSTER
                + ", namespace: web, release: ledger, soak: 3s}]");
        client.resource(production).create();
        await("ledger", "Healthy", r -> "Healthy".equals(r.getStatus().phase));
        setImage("ledger", "registry.example.com/ledger:1.1.0");
        await("ledger", "awaiting promotion", r -> "AwaitingPromotion".equals(r.getStatus().phase));
        timeline.say("1.1.0 goes to " + STAGING_CLUSTER + " first (its own kubectl: patch release ledger -n web ...)");
        staging.resources(Release.class).inNamespace("web").withName("ledger").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"registry.example.com/ledger:1.1.0\"}]");
        await("ledger", "revision 2 stable", r -> "Healthy".equals(r.getStatus().phase) && r.getStatus().stableRevision == 2);
        Rollout promoted = client.resources(Rollout.class).inNamespace(NS).withLabel("glidepath.dev/release", "ledger").list()
                .getItems().stream().filter(x -> x.getSpec().toRevision == 2).findFirst().orElseThrow();
        var evidence = promoted.getSpec().promotedFrom.get(0);
        timeline.say("production took ledger 1.1.0 after " + STAGING_CLUSTER + " ran it Healthy for 3s; its Rollout records"
                + " spec.promotedFrom: " + evidence.cluster + ":" + evidence.namespace + "/" + evidence.release + " revision "
                + evidence.revision);
    }

    /** deploy/examples/freeze.yaml holds a new rollout until the Freeze is deleted. */
    private void frozen() throws Exception {
        dev.glidepath.api.v1alpha1.Freeze freeze = Serialization.unmarshal(Files.readString(Path.of("deploy", "examples", "freeze.yaml")),
                dev.glidepath.api.v1alpha1.Freeze.class);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(freeze.getMetadata().getNamespace()).endMetadata()
                .build()).createOr(n -> n.update());
        timeline.say("an incident: kubectl apply -f deploy/examples/freeze.yaml (a Freeze in the operator's namespace: every namespace)");
        client.resource(freeze).create();
        setImage("checkout", "registry.example.com/checkout:2.2.0");
        await("checkout", "frozen", r -> "Frozen".equals(r.getStatus().phase));
        timeline.say("the incident is over: kubectl delete -f deploy/examples/freeze.yaml");
        client.resource(freeze).delete();
        await("checkout", "revision 3 stable", r -> "Healthy".equals(r.getStatus().phase) && r.getStatus().stableRevision == 3);
    }

    private void apply(String file) throws Exception {
        Release r = Serialization.unmarshal(Files.readString(Path.of("deploy", "examples", file)), Release.class);
        r.getMetadata().setNamespace(NS);
        client.resource(r).create();
    }

    /** What `kubectl patch release NAME --type json -p '[{"op":"replace","path":".../image","value":...}]'` does. */
    private void setImage(String name, String image) {
        timeline.say("kubectl patch release " + name + " --type json -p '[{\"op\":\"replace\","
                + "\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + image + "\"}]'");
        client.resources(Release.class).inNamespace(NS).withName(name).patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + image + "\"}]");
    }

    private void patch(String name, String mergePatch) {
        client.resources(Release.class).inNamespace(NS).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    private void await(String name, String what, Predicate<Release> condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            Release r = client.resources(Release.class).inNamespace(NS).withName(name).get();
            if (r != null && r.getStatus() != null && r.getStatus().phase != null && condition.test(r)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not reach: " + what);
    }

    private static void printTables(KubernetesClient client) {
        System.out.println();
        System.out.println("$ kubectl get releases -n demo");
        System.out.printf("%-12s %-8s %-10s %-12s %-7s %-7s%n", "NAME", "VERSION", "STRATEGY", "PHASE", "WEIGHT", "STABLE");
        for (Release r : client.resources(Release.class).inNamespace(NS).list().getItems()) {
            var s = r.getStatus();
            System.out.printf("%-12s %-8s %-10s %-12s %-7s %-7s%n", r.getMetadata().getName(), s.version, s.strategy, s.phase,
                    s.canaryWeight, s.stableRevision);
        }
        System.out.println();
        System.out.println("$ kubectl get rollouts -n demo");
        System.out.printf("%-14s %-11s %-9s %-5s %-4s %-10s %s%n", "NAME", "RELEASE", "REASON", "FROM", "TO", "PHASE", "MESSAGE");
        client.resources(Rollout.class).inNamespace(NS).list().getItems().stream()
                .sorted(Comparator.comparing((Rollout r) -> r.getSpec().release)
                        .thenComparing(r -> r.getMetadata().getCreationTimestamp()))
                .forEach(r -> System.out.printf("%-14s %-11s %-9s %-5s %-4s %-10s %s%n", r.getMetadata().getName(),
                        r.getSpec().release, r.getSpec().reason, r.getSpec().fromRevision == null ? "-" : r.getSpec().fromRevision,
                        r.getSpec().toRevision, r.getStatus() == null ? "" : r.getStatus().phase,
                        r.getStatus() == null ? "" : r.getStatus().message));
    }
}
