package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Releases;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShardTest {
    private static Release labelled(String shard) {
        Release r = Releases.canary("apps", "web", "web:1", 2);
        if (shard != null) {
            r.getMetadata().getLabels().put(Shard.LABEL, shard);
        }
        return r;
    }

    @Test
    void theDefaultInstanceOwnsTheReleasesWithoutTheLabelAndSelectsThem() {
        assertThat(Shard.DEFAULT.selector()).isEqualTo("!glidepath.dev/shard");
        assertThat(Shard.DEFAULT.owns(labelled(null))).isTrue();
        assertThat(Shard.DEFAULT.owns(labelled("blue"))).isFalse();
        // An empty value is a label all the same: no instance owns it (as the selectors say).
        assertThat(Shard.DEFAULT.owns(labelled(""))).isFalse();
        assertThat(Shard.DEFAULT.leaseName()).isEqualTo("glidepath-leader");
        assertThat(Shard.named("  ")).isEqualTo(Shard.DEFAULT);
    }

    @Test
    void aShardOwnsTheReleasesLabelledWithItsNameAndHasALeaseOfItsOwn() {
        Shard blue = Shard.named("blue");
        assertThat(blue.selector()).isEqualTo("glidepath.dev/shard=blue");
        assertThat(blue.owns(labelled("blue"))).isTrue();
        assertThat(blue.owns(labelled("green"))).isFalse();
        assertThat(blue.owns(labelled(null))).isFalse();
        assertThat(blue.leaseName()).isEqualTo("glidepath-leader-blue");
    }

    @Test
    void aNameThatCannotBeALabelValueAndALeaseNameStopsTheStartNamingTheProperty() {
        for (String bad : new String[] {"Blue", "blue_1", "-blue", "blue-", "a".repeat(47), "blue=green"}) {
            assertThatThrownBy(() -> new Shard(Optional.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("glidepath.shard: '" + bad + "' is not a shard name");
        }
        assertThat(Shard.named("a".repeat(46)).leaseName()).hasSizeLessThanOrEqualTo(63);
    }
}
