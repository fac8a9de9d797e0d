package dev.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.MetricRecord;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutSpec;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.sandbox.Analyses;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.Sandbox;
import dev.glidepath.workload.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's server without a browser: what it serves, what it refuses, and what it pushes. */
class DashboardTest {
    private static final String NS = "apps";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Sandbox sandbox;
    private KubernetesClient client;
    private Dashboard dashboard;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        sandbox = Sandbox.start();
        client = sandbox.client();
        withStatus(pausedCanary());
        withStatus(rollout());
        dashboard = Dashboard.start(client, new ReleaseCommands(client, Clock.systemUTC()), null, 0, Clock.systemUTC());
    }

    /** Created, then its status written through the status subresource, as the operator does. */
    private void withStatus(Release r) {
        Release created = client.resource(r).create();
        created.setStatus(r.getStatus());
        client.resource(created).updateStatus();
    }

    private void withStatus(Rollout r) {
        Rollout created = client.resource(r).create();
        created.setStatus(r.getStatus());
        client.resource(created).updateStatus();
    }

    @AfterEach
    void stop() {
        dashboard.close();
        sandbox.close();
    }

    /** A canary paused at its second step (of three) with two measurements of its error rate, as the operator writes it. */
    private static Release pausedCanary() {
        Release r = Releases.canary(NS, "shop", "shop:1", 2, CanaryStep.weight(20), CanaryStep.pause(null), CanaryStep.weight(60));
        r.getSpec().analysis = Analyses.of("http://127.0.0.1:9", "1s", Analyses.errorRate("1m", 0.05));
        ReleaseStatus s = new ReleaseStatus();
        s.phase = "Paused";
        s.stableRevision = 1;
        s.currentRevision = 2;
        s.canaryWeight = 20;
        s.deploymentType = "Scheduled";
        s.rollout = new RolloutProgress();
        s.rollout.name = "shop-2";
        s.rollout.toRevision = 2;
        s.rollout.fromRevision = 1;
        s.rollout.stepIndex = 1;
        RevisionRecord one = new RevisionRecord();
        one.number = 1;
        one.outcome = "Stable";
        RevisionRecord two = new RevisionRecord();
        two.number = 2;
        two.outcome = "Progressing";
        s.revisions = List.of(one, two);
        r.setStatus(s);
        return r;
    }

    private static Rollout rollout() {
        Rollout r = new Rollout();
        r.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("shop-2")
                .withLabels(Map.of(Release.LABEL, "shop", Labels.ROLLOUT_SEQUENCE, "2")).build());
        r.setSpec(new RolloutSpec());
        r.getSpec().release = "shop";
        r.getSpec().fromRevision = 1;
        r.getSpec().toRevision = 2;
        r.getSpec().reason = "Update";
        r.getSpec().type = "Scheduled";
        r.setStatus(new RolloutStatus());
        r.getStatus().phase = "Progressing";
        MetricRecord m = new MetricRecord();
        m.name = "error-rate";
        m.measurements = List.of(new Measurement("2026-01-01T00:00:00Z", 0.01, "Pass", null),
                new Measurement("2026-01-01T00:00:01Z", 0.02, "Pass", null));
        r.getStatus().analysis = List.of(m);
        return r;
    }

    private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(dashboard.url() + "api/command"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with a Host header of its own choosing, as a DNS-rebinding page would send. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", dashboard.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void theSnapshotCarriesEachReleaseWithItsStepsWeightMeasurementsAndRevisions() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/releases")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode shop = JSON.readTree(r.body()).get(0);
        assertThat(shop.get("key").asText()).isEqualTo("apps/shop");
        assertThat(shop.get("phase").asText()).isEqualTo("Paused");
        assertThat(shop.get("needsYou").asBoolean()).isTrue();
        assertThat(shop.get("waitingFor").asText()).isEqualTo("promote");
        assertThat(shop.get("weight").asInt()).isEqualTo(20);
        assertThat(shop.get("steps").findValuesAsText("state")).containsExactly("done", "current", "pending");
        JsonNode metric = shop.get("metrics").get(0);
        assertThat(metric.get("name").asText()).isEqualTo("error-rate");
        assertThat(metric.get("max").asDouble()).isEqualTo(0.05);
        assertThat(metric.get("measurements").findValuesAsText("value")).containsExactly("0.01", "0.02");
        assertThat(shop.get("deploymentType").asText()).isEqualTo("Scheduled");
        assertThat(shop.get("history").get(0).get("revisions").asText()).isEqualTo("1→2");
        assertThat(shop.get("history").get(0).get("type").asText()).isEqualTo("Scheduled");
        assertThat(shop.get("revisions").findValuesAsText("number")).containsExactly("1", "2");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p).contains("script-src 'self'"));
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The history links each Rollout to its record: the text the CLI's record command prints, from the cache. */
    @Test
    void aRolloutsDeploymentRecordIsServedAsTheCliPrintsIt() throws Exception {
        Rollout stored = client.resources(Rollout.class).inNamespace(NS).withName("shop-2").get();
        HttpResponse<String> r = get("api/record?namespace=apps&name=shop-2");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body()).isEqualTo(DeploymentRecord.markdown(stored)).startsWith("# Deployment record: shop revision 2 (Scheduled)\n");

        assertThat(get("api/record?namespace=apps&name=shop-9").statusCode()).isEqualTo(404);
        assertThat(get("api/record?namespace=other&name=shop-2").statusCode()).isEqualTo(404);
        HttpResponse<String> incomplete = get("api/record?namespace=apps");
        assertThat(incomplete.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(incomplete.body()).get("error").asText()).contains("namespace and name");
        assertThat(raw("GET /api/record?namespace=apps&name=shop-2 HTTP/1.1\r\nHost: attacker.example:" + dashboard.port()
                + "\r\nConnection: close\r\n\r\n")).contains("403");
        assertThat(get("").body()).contains("id=\"record-text\"");
    }

    @Test
    void aCommandWithoutTheDashboardsHeaderIsRefusedAndChangesNothing() throws Exception {
        HttpResponse<String> r = post("{\"namespace\":\"apps\",\"name\":\"shop\",\"action\":\"promote\"}", Map.of());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("X-Glidepath");
        assertThat(client.resources(Release.class).inNamespace(NS).withName("shop").get().getSpec().promote).isNull();
    }

    @Test
    void aCommandFromAnotherOriginIsRefused() throws Exception {
        HttpResponse<String> r = post("{\"namespace\":\"apps\",\"name\":\"shop\",\"action\":\"promote\"}",
                Map.of("X-Glidepath", "1", "Origin", "http://evil.example"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(client.resources(Release.class).inNamespace(NS).withName("shop").get().getSpec().promote).isNull();
    }

    @Test
    void aRequestNamingAnotherHostIsRefused() throws Exception {
        assertThat(raw("GET /api/releases HTTP/1.1\r\nHost: attacker.example:" + dashboard.port() + "\r\nConnection: close\r\n\r\n"))
                .contains("403");
        assertThat(raw("GET /api/releases HTTP/1.1\r\nHost: localhost:" + dashboard.port() + "\r\nConnection: close\r\n\r\n"))
                .contains("200");
    }

    @Test
    void aCommandDoesWhatTheCliDoesAndItsRefusalComesBackWithTheCliMessage() throws Exception {
        HttpResponse<String> ok = post("{\"namespace\":\"apps\",\"name\":\"shop\",\"action\":\"promote\"}",
                Map.of("X-Glidepath", "1", "Origin", dashboard.url().replaceAll("/$", "")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("message").asText()).startsWith("promote sent to apps/shop");
        assertThat(client.resources(Release.class).inNamespace(NS).withName("shop").get().getSpec().promote.id).isNotBlank();

        HttpResponse<String> refused = post("{\"namespace\":\"apps\",\"name\":\"shop\",\"action\":\"retry\"}", Map.of("X-Glidepath", "1"));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).startsWith("nothing to retry: apps/shop is Paused");

        HttpResponse<String> missing = post("{\"namespace\":\"apps\",\"name\":\"gone\",\"action\":\"abort\"}", Map.of("X-Glidepath", "1"));
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void aChangeIsPushedToAnOpenPageAsTheViewOfThatRelease() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        Eventually.until(() -> lines.contains("event: snapshot"));

        client.resource(Releases.canary(NS, "cart", "cart:1", 1, CanaryStep.weight(50))).create();
        Eventually.until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ") && l.contains("\"key\":\"apps/cart\"")));
        int index = lines.indexOf("event: release");
        assertThat(index).isPositive();
        assertThat(lines.get(index + 1)).contains("apps/cart");

        client.resources(Release.class).inNamespace(NS).withName("cart").delete();
        Eventually.until(() -> lines.contains("event: removed"));
        assertThat(lines.get(lines.indexOf("event: removed") + 1)).isEqualTo("data: {\"key\":\"apps/cart\"}");
    }

    @Test
    void theCliServesItOnAFreePortWithPortZeroAndPrintsItsAddress() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Cli cli = new Cli(sandbox.cliClients(NS), Clock.systemUTC(), out, out);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serving = new Thread(() -> exit.set(cli.run(new String[] {"dashboard", "--port", "0", "-n", NS})), "dashboard-cli");
        serving.start();
        try {
            Eventually.until(() -> printed.toString(StandardCharsets.UTF_8).contains("http://127.0.0.1:"));
            String text = printed.toString(StandardCharsets.UTF_8);
            Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(text);
            assertThat(url.find()).as(text).isTrue();
            assertThat(Integer.parseInt(url.group(1))).isPositive().isNotEqualTo(dashboard.port());
            assertThat(text).contains("namespace apps");
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url.group())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Glidepath</title>").doesNotContain("http://", "https://");
        } finally {
            serving.interrupt();
            serving.join(30_000);
        }
        assertThat(exit.get()).isZero();
    }
}
