package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.MigrationSpec;
import dev.glidepath.api.v1alpha1.PostPromotionSpec;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.VerifySpec;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimingsTest {

    @Test
    void everyDefaultComesFromOnePlace() {
        Timings t = Timings.of(Specs.blueGreen(2));
        assertThat(t.progressDeadline()).isEqualTo(Duration.ofMinutes(10));
        assertThat(t.analysisInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(t.scaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.promoteAfter()).isEmpty();
        assertThat(t.prePromotionVerifyTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.migrationTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(t.postPromotion()).isEmpty();
    }

    @Test
    void theSpecsDurationsAreParsedOnce() {
        ReleaseSpec spec = Specs.blueGreen(2);
        spec.progressDeadline = "90s";
        spec.strategy.blueGreen.scaleDownDelay = "1m30s";
        spec.strategy.blueGreen.promoteAfter = "500ms";
        spec.strategy.blueGreen.prePromotionVerify = new VerifySpec();
        spec.strategy.blueGreen.prePromotionVerify.timeout = "2m";
        spec.migration = new MigrationSpec();
        spec.migration.timeout = "1h";
        spec.analysis = new AnalysisSpec();
        spec.analysis.interval = "5s";
        spec.analysis.postPromotion = new PostPromotionSpec();
        spec.analysis.postPromotion.duration = "10m";
        Timings t = Timings.of(spec);
        assertThat(t.progressDeadline()).isEqualTo(Duration.ofSeconds(90));
        assertThat(t.scaleDownDelay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(t.promoteAfter()).contains(Duration.ofMillis(500));
        assertThat(t.prePromotionVerifyTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.migrationTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(t.analysisInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.postPromotion()).contains(Duration.ofMinutes(10));
    }

    @Test
    void eachCanaryStepHasItsPauseAndItsSmokeTestTimeout() {
        CanaryStep verify = new CanaryStep();
        verify.verify = new VerifySpec();
        verify.verify.timeout = "45s";
        CanaryStep verifyByDefault = new CanaryStep();
        verifyByDefault.verify = new VerifySpec();
        Timings t = Timings.of(Specs.canary(4, CanaryStep.weight(20), CanaryStep.pause("1m"), CanaryStep.pause(null), verify,
                verifyByDefault));
        assertThat(t.pause(0)).isEmpty();
        assertThat(t.pause(1)).contains(Duration.ofMinutes(1));
        assertThat(t.pause(2)).as("until promoted").isEmpty();
        assertThat(t.verifyTimeout(3)).isEqualTo(Duration.ofSeconds(45));
        assertThat(t.verifyTimeout(4)).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.pause(9)).isEqualTo(Optional.empty());
    }

    @Test
    void aDeadlinePassesAtItsEnd() {
        var start = SimulatedCluster.T0;
        Deadline d = new Deadline(start, Duration.ofSeconds(30));
        assertThat(d.end()).isEqualTo(start.plusSeconds(30));
        assertThat(d.passed(start.plusSeconds(29))).isFalse();
        assertThat(d.passed(start.plusSeconds(30))).isTrue();
    }
}
