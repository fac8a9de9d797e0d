package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.NotificationSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.credentials.AddressPolicy;
import dev.glidepath.credentials.CredentialCheck;
import dev.glidepath.credentials.UrlAllowlist;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotificationIT extends SandboxTest {
    HttpServer receiver;
    final List<String> received = new CopyOnWriteArrayList<>();
    final CountDownLatch releaseHanging = new CountDownLatch(1);

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/hook", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.createContext("/broken", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        receiver.createContext("/redirect", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Location", "/hook");
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        receiver.createContext("/hang", ex -> {
            try {
                releaseHanging.await(20, TimeUnit.SECONDS); // holds the request open until the test is done
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        releaseHanging.countDown();
        receiver.stop(0);
    }

    /** A webhook Secret its owner labelled for Glidepath. */
    void secret(String name, String path) {
        secret(name, path, true);
    }

    void secret(String name, String path, boolean labelled) {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
        var secret = new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .addToData("url", Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8))).build();
        if (labelled) {
            secret.getMetadata().setLabels(Map.of(CredentialCheck.LABEL, "true"));
        }
        client.secrets().inNamespace(NS).resource(secret).create();
    }

    static String invalidSpecMessage(Release r) {
        return r.getStatus().conditions.stream().filter(c -> c.getType().equals("InvalidSpec") && "True".equals(c.getStatus()))
                .findFirst().map(c -> c.getMessage()).orElse(null);
    }

    static NotificationSpec target(String name, String secret, String format, String... events) {
        NotificationSpec n = new NotificationSpec();
        n.name = name;
        n.secretName = secret;
        n.format = format;
        n.events = List.of(events);
        return n;
    }

    @Test
    void aWebhookGetsTheEventsItAskedForInEitherFormat() {
        secret("hook", "/hook");
        Release r = Releases.canary(NS, "wh", "wh:1", 2, CanaryStep.weight(50));
        r.getSpec().notifications = List.of(target("team", "hook", null, "started", "succeeded"),
                target("slack", "hook", "Slack", "succeeded"));
        create(r);
        awaitPhase("wh", "Healthy");
        update("wh", "wh:2");
        awaitRelease("wh", "done", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase));
        // Delivery is asynchronous: each payload is awaited, not a count of them.
        Eventually.untilAsserted(() -> assertThat(received).anySatisfy(b -> assertThat(b).contains("\"event\":\"started\"")
                .contains("\"toRevision\":2").contains("\"fromRevision\":1").contains("\"release\":\"wh\"")
                .contains("\"namespace\":\"apps\"")));
        // Every payload names the transition it is about, the one sent after the rollout ended too.
        Eventually.untilAsserted(() -> assertThat(received).anySatisfy(b -> assertThat(b).contains("\"event\":\"succeeded\"")
                .contains("\"version\":\"2\"").contains("\"fromRevision\":1").contains("\"toRevision\":2")));
        // The notice of the rollout's end carries its record: its Rollout, how it ended and how long it took.
        Eventually.untilAsserted(() -> assertThat(received).anySatisfy(b -> assertThat(b).contains("\"event\":\"succeeded\"")
                .contains("\"rollout\":\"wh-").contains("\"outcome\":\"SUCCESS\"").containsPattern("\"duration\":\"\\d[0-9hms]*\"")));
        assertThat(received).filteredOn(b -> b.contains("\"event\":\"started\"")).isNotEmpty()
                .allSatisfy(b -> assertThat(b).doesNotContain("\"outcome\"").contains("\"rollout\":\"wh-"));
        Eventually.untilAsserted(() -> assertThat(received).anySatisfy(b -> assertThat(b).startsWith("{\"text\":\"*wh* (apps) succeeded")
                .containsPattern("\\\\nStandard · version 2 · revision 1 → 2 · SUCCESS in \\d")));
        assertThat(received).noneMatch(b -> b.contains("\"event\":\"promoted\""));
    }

    @Test
    void aHangingWebhookDoesNotDelayTheRolloutAndAFailingOneShowsAsAnEvent() {
        secret("hang", "/hang");
        secret("broken", "/broken");
        Release r = Releases.canary(NS, "slow", "slow:1", 2, CanaryStep.weight(50));
        r.getSpec().notifications = List.of(target("hanging", "hang", null), target("failing", "broken", null, "started"));
        create(r);
        awaitPhase("slow", "Healthy");
        long start = System.nanoTime();
        update("slow", "slow:2");
        awaitRelease("slow", "done", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision) && "Healthy".equals(x.getStatus().phase));
        long millis = (System.nanoTime() - start) / 1_000_000;
        // The hanging endpoint still holds its first request open: the rollout finished without waiting for it.
        assertThat(releaseHanging.getCount()).isEqualTo(1);
        System.out.printf("rollout with a hanging webhook: %d ms to Healthy%n", millis);
        Eventually.until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "NotificationFailed".equals(e.getReason()) && e.getMessage().contains("failing")
                        && e.getMessage().contains("HTTP 500") && !e.getMessage().contains("127.0.0.1")));
    }

    @Test
    void aWebhookSecretNotLabelledForGlidepathIsNeverSentAndTheReleaseNamesTheField() {
        secret("stolen", "/hook", false);
        create(Releases.canary(NS, "quiet", "quiet:1", 2, CanaryStep.weight(50)));
        awaitPhase("quiet", "Healthy");
        edit("quiet", r -> {
            r.getSpec().notifications = List.of(target("team", "stolen", null));
            setImage(r, "quiet:2");
            return r;
        });
        Release invalid = awaitRelease("quiet", "InvalidSpec", r -> invalidSpecMessage(r) != null);
        assertThat(invalidSpecMessage(invalid)).startsWith("spec.notifications[0].secretName: Secret 'stolen' is not labelled"
                + " glidepath.dev/credentials=true");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(received::isEmpty);
        assertThat(replicasByRevision("quiet")).as("the new template is not rolled out").isEqualTo(Map.of(1, 2));
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("InvalidSpec");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("spec.notifications[0].secretName");
        });
    }

    @Test
    void aWebhookOutsideTheOperatorsAllowlistIsRefusedWithoutShowingItsUrlAndReceivesNothing() {
        operator.stop();
        operator = OperatorHarness.start(sandbox.newClient(), new AddressPolicy(UrlAllowlist.ANY,
                UrlAllowlist.of(List.of("https://hooks.slack.com/services"))));
        secret("hook", "/hook");
        Release r = Releases.canary(NS, "fenced", "fenced:1", 2, CanaryStep.weight(50));
        r.getSpec().notifications = List.of(target("team", "hook", null));
        create(r);
        Release invalid = awaitRelease("fenced", "InvalidSpec", x -> invalidSpecMessage(x) != null);
        assertThat(invalidSpecMessage(invalid)).startsWith("spec.notifications[0].secretName: the url in Secret 'hook' is"
                + " outside the webhook addresses this operator allows").contains("https://hooks.slack.com/services")
                .doesNotContain("127.0.0.1");
        assertThat(deployments("fenced")).isEmpty();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(received::isEmpty);
    }

    @Test
    void aRedirectFromAWebhookIsNotFollowed() {
        secret("moved", "/redirect");
        Release r = Releases.canary(NS, "moved", "moved:1", 2, CanaryStep.weight(50));
        r.getSpec().notifications = List.of(target("moved", "moved", null, "started"));
        create(r);
        awaitPhase("moved", "Healthy");
        update("moved", "moved:2");
        Eventually.until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "NotificationFailed".equals(e.getReason()) && e.getMessage().contains("HTTP 307")));
        assertThat(received).isEmpty();
    }
}
