package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.PromoteCommand;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances against one API: the default one (Releases without a shard label) and shard "blue". Each
 * acts on its own Releases only, and a Release moved from one to the other mid-canary is let go by the first and
 * taken over by the second from its recorded status.
 */
class ShardIT extends SandboxTest {
    /** The writes each instance sent, as "METHOD path". */
    private final List<String> defaultWrites = new CopyOnWriteArrayList<>();
    private final List<String> blueWrites = new CopyOnWriteArrayList<>();
    private OperatorHarness blue;

    @BeforeEach
    void twoInstances() {
        operator.stop();
        operator = OperatorHarness.startShard(recording(defaultWrites), Shard.DEFAULT);
        blue = OperatorHarness.startShard(recording(blueWrites), Shard.named("blue"));
    }

    @AfterEach
    void stopBlue() {
        blue.stop();
    }

    @Test
    void eachInstanceActsOnlyOnTheReleasesOfItsShard() {
        create(Releases.canary(NS, "plain", "plain:1", 2, CanaryStep.weight(50), CanaryStep.pause("100ms")));
        create(inShard(Releases.canary(NS, "tinted", "tinted:1", 2, CanaryStep.weight(50), CanaryStep.pause("100ms")), "blue"));
        awaitPhase("plain", "Healthy");
        awaitPhase("tinted", "Healthy");
        update("tinted", "tinted:2");
        awaitRelease("tinted", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));

        assertThat(touching(defaultWrites, "plain")).isNotEmpty();
        assertThat(touching(defaultWrites, "tinted")).isEmpty();
        assertThat(touching(blueWrites, "tinted")).isNotEmpty();
        assertThat(touching(blueWrites, "plain")).isEmpty();
    }

    @Test
    void aReleaseMovedToAnotherShardMidCanaryIsTakenOverFromItsStatusWithNoStepRepeated() {
        create(Releases.canary(NS, "cart", "cart:1", 4, CanaryStep.weight(25), CanaryStep.pause(null), CanaryStep.weight(50),
                CanaryStep.pause(null)));
        awaitPhase("cart", "Healthy");
        update("cart", "cart:2");
        Release paused = awaitRelease("cart", "paused at step 1", r -> "Paused".equals(r.getStatus().phase));
        assertThat(paused.getStatus().currentStep).isEqualTo(1);
        List<String> rolloutsBefore = rollouts("cart").stream().map(r -> r.getMetadata().getUid()).toList();
        int defaultMark = defaultWrites.size();

        edit("cart", r -> inShard(r, "blue"));
        // The new instance reads the recorded status: still paused at step 1, nothing rewritten, no step taken again.
        edit("cart", r -> {
            r.getSpec().promote = new PromoteCommand();
            r.getSpec().promote.id = "1";
            return r;
        });
        awaitRelease("cart", "paused at step 3", r -> Integer.valueOf(3).equals(r.getStatus().currentStep)
                && "Paused".equals(r.getStatus().phase));
        assertThat(replicasByRevision("cart")).isEqualTo(Map.of(1, 2, 2, 2));
        assertThat(rollouts("cart").stream().map(r -> r.getMetadata().getUid()).toList()).isEqualTo(rolloutsBefore);
        Rollout current = lastRollout("cart");
        assertThat(current.getSpec().toRevision).isEqualTo(2);
        assertThat(current.getStatus().phase).isEqualTo("Paused");

        edit("cart", r -> {
            r.getSpec().promote.id = "2";
            return r;
        });
        awaitRelease("cart", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        assertThat(touching(defaultWrites.subList(defaultMark, defaultWrites.size()), "cart")).isEmpty();
        assertThat(touching(blueWrites, "cart")).isNotEmpty();
    }

    private static Release inShard(Release r, String shard) {
        r.getMetadata().getLabels().put(Shard.LABEL, shard);
        return r;
    }

    private static List<String> touching(List<String> writes, String release) {
        return writes.stream().filter(w -> w.contains("/" + release)).toList();
    }

    /** A client for one instance that notes every write it sends. */
    private KubernetesClient recording(List<String> writes) {
        Interceptor recorder = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (!request.method().equals("GET")) {
                    writes.add(request.method() + " " + request.uri().getPath());
                }
            }
        };
        return new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("shard-writes", recorder)).build();
    }
}
