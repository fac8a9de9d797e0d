package dev.glidepath.reconciler;

import dev.glidepath.sandbox.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HistoryIT extends SandboxTest {

    @Test
    void oldRevisionsAndTheirRolloutsArePrunedBeyondTheHistoryLimitAndEverythingIsOwned() {
        Release r = Releases.canary(NS, "log", "log:1", 1, CanaryStep.weight(100));
        r.getSpec().revisionHistoryLimit = 1;
        Release created = create(r);
        awaitPhase("log", "Healthy");
        for (int v = 2; v <= 4; v++) {
            int version = v;
            update("log", "log:" + version);
            awaitRelease("log", "revision " + v, x -> Integer.valueOf(version).equals(x.getStatus().stableRevision)
                    && "Healthy".equals(x.getStatus().phase));
        }
        Eventually.until(() -> replicasByRevision("log").keySet().equals(java.util.Set.of(3, 4)));
        Eventually.until(() -> rollouts("log").stream()
                .allMatch(x -> x.getSpec().toRevision >= 3));
        assertThat(get("log").getStatus().revisions).extracting(x -> x.number).containsExactly(4, 3);

        String uid = created.getMetadata().getUid();
        Stream.of(deployments("log").stream(), rollouts("log").stream(), Stream.of(service("log")))
                .flatMap(s -> s.map(HasMetadata.class::cast))
                .forEach(owned -> {
                    assertThat(owned.getMetadata().getOwnerReferences()).as(owned.getMetadata().getName())
                            .singleElement()
                            .satisfies((OwnerReference o) -> {
                                assertThat(o.getUid()).isEqualTo(uid);
                                assertThat(o.getKind()).isEqualTo("Release");
                                assertThat(o.getController()).isTrue();
                            });
                });
    }
}
