package dev.glidepath.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.MovableClock;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch of an upstream cluster: its standing from the Secret to the bound on its last contact. */
class UpstreamWatchesTest {
    private static final Duration BOUND = Duration.ofMinutes(2);
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private Sandbox downstream;
    private Sandbox upstream;
    private UpstreamWatches watches;

    @BeforeEach
    void start() {
        downstream = Sandbox.start();
        upstream = Sandbox.start();
        downstream.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("glidepath-system").endMetadata()
                .build()).create();
        // One heartbeat (the connection), then none within the test: only the watch's own events are contact.
        watches = new UpstreamWatches(UpstreamClusters.parse(List.of("staging=staging-kubeconfig")), "glidepath-system", clock,
                Duration.ofHours(1), BOUND);
    }

    @AfterEach
    void stop() {
        watches.close();
        upstream.close();
        downstream.close();
    }

    private void createSecret(String kubeconfig) {
        downstream.client().secrets().inNamespace("glidepath-system").resource(new SecretBuilder().withNewMetadata()
                .withName("staging-kubeconfig").endMetadata().addToStringData("kubeconfig", kubeconfig).build()).create();
    }

    @Test
    void aWatchedClusterIsTrustedUntilItsLastContactIsOlderThanTheBound() {
        createSecret(upstream.kubeconfig());
        upstream.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("staging").endMetadata().build()).create();
        upstream.client().resource(Releases.canary("staging", "shop", "shop:1", 1)).create();
        List<String> heard = new CopyOnWriteArrayList<>();
        watches.onChange((cluster, release) -> heard.add(cluster + ":" + (release == null ? "standing" : release.getMetadata().getName())));
        UpstreamClusterWatch watch = watches.watch("staging", downstream.client());
        Eventually.until(() -> watch.problem(clock.instant()).isEmpty());
        assertThat(watch.release("staging", "shop").map(Release::getSpec)).isPresent();
        assertThat(heard).contains("staging:shop");
        assertThat(watches.watch("staging", downstream.client())).as("one watch per cluster").isSameAs(watch);

        clock.advance(BOUND.plusSeconds(1));
        assertThat(watch.problem(clock.instant())).hasValueSatisfying(p -> assertThat(p)
                .startsWith("no successful contact since 2026-12-01T10:00:00Z (the bound is PT2M; nothing older counts)"));

        // A change upstream is contact again.
        Releases.edit(upstream.client(), "staging", "shop", r -> {
            r.getMetadata().setLabels(Map.of("team", "shop"));
            return r;
        });
        Eventually.until(() -> watch.problem(clock.instant()).isEmpty());
    }

    @Test
    void aMissingSecretOrAnUnreadableKubeconfigIsTheProblemItNames() {
        UpstreamClusterWatch watch = watches.watch("staging", downstream.client());
        Eventually.until(() -> watch.problem(clock.instant()).filter(p -> p.contains("not found")).isPresent());
        assertThat(watch.problem(clock.instant())).contains("its Secret glidepath-system/staging-kubeconfig is not found");
        assertThat(watch.release("staging", "shop")).isEqualTo(Optional.empty());
    }

    @Test
    void anUnreadableKubeconfigIsTheProblemItNames() {
        createSecret("clusters: [unclosed");
        UpstreamClusterWatch watch = watches.watch("staging", downstream.client());
        Eventually.until(() -> watch.problem(clock.instant()).filter(p -> p.contains("kubeconfig")).isPresent());
        assertThat(watch.problem(clock.instant())).hasValueSatisfying(p ->
                assertThat(p).startsWith("the kubeconfig in its Secret glidepath-system/staging-kubeconfig cannot be read: "));
    }

    @Test
    void aForbiddenListIsTheProblemItNames() {
        createSecret(upstream.kubeconfig());
        upstream.dispatcher().refuse("GET", "/v1alpha1/releases?", 403, "releases.glidepath.dev is forbidden");
        UpstreamClusterWatch watch = watches.watch("staging", downstream.client());
        Eventually.until(() -> watch.problem(clock.instant()).filter(p -> p.contains("403")).isPresent());
        assertThat(watch.problem(clock.instant())).hasValueSatisfying(p -> assertThat(p).contains("HTTP 403"));
    }

    @Test
    void rolloutsThatCannotBeListedAreNamedEvenWhileReleasesAnswer() {
        createSecret(upstream.kubeconfig());
        upstream.dispatcher().refuse("GET", "/v1alpha1/rollouts?", 403, "rollouts.glidepath.dev is forbidden");
        watches = new UpstreamWatches(UpstreamClusters.parse(List.of("staging=staging-kubeconfig")), "glidepath-system", clock,
                Duration.ofMillis(100), BOUND);
        UpstreamClusterWatch watch = watches.watch("staging", downstream.client());
        Eventually.until(() -> watch.problem(clock.instant()).filter(p -> p.startsWith("its Rollouts cannot be listed: HTTP 403")).isPresent());
    }

    @Test
    void aClusterThatIsNotConfiguredHasNoWatch() {
        assertThatThrownBy(() -> watches.watch("qa", downstream.client()))
                .hasMessage("upstream cluster 'qa' is not configured (glidepath.upstream-clusters)");
    }
}
