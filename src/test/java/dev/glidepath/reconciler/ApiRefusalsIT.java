package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Analyses;
import dev.glidepath.sandbox.FakePrometheus;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the operator does when the API server refuses its writes, as a real one does. */
class ApiRefusalsIT extends SandboxTest {

    private Condition condition(Release r, String type) {
        return r.getStatus().conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private List<Event> events(String release, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> release.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }

    @Test
    void aRefusedWriteIsReportedQuotingTheServerAndRetriedWithBackoff() throws Exception {
        String message = "Deployment.apps \"web-x\" is invalid: spec.template.spec.containers[0].image: Required value";
        long creates;
        try (AutoCloseable refused = sandbox.dispatcher().refuse("POST", "/apis/apps/v1/namespaces/apps/deployments", 422,
                message)) {
            create(Releases.canary(NS, "web", "web:1", 2, CanaryStep.weight(50)));
            Release seen = awaitRelease("web", "refusal reported", r -> "Degraded".equals(r.getStatus().phase)
                    && r.getStatus().message != null && r.getStatus().message.contains("refused"));
            assertThat(condition(seen, "Degraded").getReason()).isEqualTo("WriteRejected");
            assertThat(condition(seen, "Degraded").getMessage()).contains("422").contains("Required value");
            assertThat(condition(seen, "Stalled").getStatus()).isEqualTo("True");
            await().atMost(Duration.ofSeconds(10)).until(() -> !events("web", "WriteRejected").isEmpty());
            assertThat(events("web", "WriteRejected").get(0).getType()).isEqualTo("Warning");
            assertThat(events("web", "WriteRejected").get(0).getMessage()).contains("Required value");
            // No tight retry: over two seconds the create is not tried again (the next try is half a minute away,
            // or as soon as the Release changes).
            long first = deploymentCreates();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> deploymentCreates() == first);
            creates = first;
        }
        assertThat(creates).isLessThanOrEqualTo(2);
        // Once the server accepts it (here: the cause is gone; for a user: the spec fixed), the rollout goes on.
        edit("web", r -> {
            r.getSpec().paused = false;
            return r;
        });
        awaitPhase("web", "Healthy");
        assertThat(events("web", "WriteRejected")).hasSize(1);
    }

    private long deploymentCreates() {
        return sandbox.requests().count(e -> e.method().equals("POST") && e.path().contains("/deployments"));
    }

    @Test
    void deploymentsAreScaledWithoutRacingTheirStatusWrites() {
        create(Releases.canary(NS, "fast", "fast:1", 4, CanaryStep.weight(25), CanaryStep.weight(50)));
        awaitPhase("fast", "Healthy");
        int mark = sandbox.requests().size();
        update("fast", "fast:2");
        awaitRelease("fast", "done", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision) && "Healthy".equals(r.getStatus().phase));
        var deploymentWrites = sandbox.requests().since(mark).stream()
                .filter(e -> e.path().contains("/deployments/") && !e.path().contains("/status") && e.isWrite()).toList();
        assertThat(deploymentWrites).isNotEmpty();
        assertThat(deploymentWrites).allSatisfy(e -> {
            assertThat(e.method()).isEqualTo("PATCH");
            assertThat(e.code()).isBetween(200, 299);
        });
    }

    @Test
    void measurementsAndARevertGoOnWhileStatusWritesAreRefused() throws Exception {
        try (FakePrometheus prometheus = new FakePrometheus()) {
            prometheus.answer(q -> FakePrometheus.Answer.value(0.01));
            Release r = Releases.canary(NS, "steady", "steady:1", 2, CanaryStep.weight(50), CanaryStep.pause(null));
            r.getSpec().analysis = Analyses.of(prometheus.address(), "500ms", Analyses.errorRate("1m", 0.05));
            create(r);
            awaitPhase("steady", "Healthy");
            update("steady", "steady:2");
            awaitRelease("steady", "measuring", x -> x.getStatus().rollout != null && x.getStatus().rollout.nextMeasurementAt != null);
            var selectors = selectorHistory("steady");
            try (AutoCloseable refused = sandbox.dispatcher().refuse("PUT", "/releases/steady/status", 500, "etcd timeout")) {
                int before = prometheus.queries().size();
                // One round every 500 ms, on schedule: four rounds within a few seconds, not one per twenty seconds.
                await().atMost(Duration.ofSeconds(6)).until(() -> prometheus.queries().size() - before >= 4);
                // A breach while status writes fail still reverts at once.
                prometheus.answer(q -> FakePrometheus.Answer.value(0.5));
                // The revert pins the stable Service to revision 1 (later unpinned once revision 2 has no pods left).
                await().atMost(Duration.ofSeconds(5)).until(() -> selectors.stream()
                        .anyMatch(sel -> "1".equals(sel.get("glidepath.dev/revision"))));
            }
            awaitPhase("steady", "Degraded");
            assertThat(get("steady").getStatus().message).contains("AnalysisFailed");
        }
    }
}
