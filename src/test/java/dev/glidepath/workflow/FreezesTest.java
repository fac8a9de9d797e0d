package dev.glidepath.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.Freeze;
import dev.glidepath.api.v1alpha1.FreezeSpec;
import dev.glidepath.api.v1alpha1.Release;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreezesTest {
    private static final String GLOBAL = "glidepath-system";

    private static Release release(String ns, Map<String, String> labels) {
        Release r = new Release();
        r.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName("shop").withLabels(labels).build());
        return r;
    }

    private static Freeze freeze(String ns, String name, FreezeSpec spec) {
        Freeze f = new Freeze();
        f.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        f.setSpec(spec);
        return f;
    }

    private static FreezeSpec spec(String reason) {
        FreezeSpec s = new FreezeSpec();
        s.reason = reason;
        return s;
    }

    @Test
    void aFreezeCoversItsOwnNamespaceAndOneInTheOperatorsNamespaceCoversAll() {
        List<Freeze> freezes = List.of(freeze("shop", "local", spec("launch")), freeze("other", "elsewhere", spec("not ours")),
                freeze(GLOBAL, "everywhere", spec("incident")));
        assertThat(Freezes.covering(release("shop", Map.of()), freezes, GLOBAL)).extracting(FreezeHold::name)
                .containsExactly("everywhere", "local");
        assertThat(Freezes.covering(release("billing", Map.of()), freezes, GLOBAL)).extracting(FreezeHold::name)
                .containsExactly("everywhere");
    }

    @Test
    void aSelectorNarrowsItToTheReleasesWhoseLabelsMatch() {
        FreezeSpec tier = spec("payments only");
        tier.selector = new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "payments"))
                .addNewMatchExpression().withKey("team").withOperator("NotIn").withValues("sre").endMatchExpression().build();
        List<Freeze> freezes = List.of(freeze("shop", "tier", tier));
        assertThat(Freezes.covering(release("shop", Map.of("tier", "payments")), freezes, GLOBAL)).hasSize(1);
        assertThat(Freezes.covering(release("shop", Map.of("tier", "payments", "team", "sre")), freezes, GLOBAL)).isEmpty();
        assertThat(Freezes.covering(release("shop", Map.of("tier", "web")), freezes, GLOBAL)).isEmpty();
        assertThat(Freezes.covering(release("shop", Map.of()), freezes, GLOBAL)).isEmpty();
    }

    @Test
    void anEndTimeIsReadAndOneThatCannotBeReadLeavesTheFreezeStanding() {
        FreezeSpec until = spec("holidays");
        until.until = "2026-12-27T08:00:00+01:00";
        until.allowOverride = true;
        FreezeHold hold = Freezes.hold(freeze("shop", "holidays", until));
        assertThat(hold.until()).isEqualTo(Instant.parse("2026-12-27T07:00:00Z"));
        assertThat(hold.allowOverride()).isTrue();

        FreezeSpec bad = spec("holidays");
        bad.until = "after christmas";
        FreezeHold standing = Freezes.hold(freeze("shop", "holidays", bad));
        assertThat(standing.until()).isNull();
        assertThat(standing.reason()).contains("spec.until 'after christmas' is not an RFC 3339 time, so it stands until deleted");
    }

    @Test
    void aFreezeThatCannotBeReadHoldsEveryReleaseInItsScopeAndSaysWhy() throws Exception {
        Freeze skewed = Serialization.jsonMapper().readValue("""
                {"apiVersion":"glidepath.dev/v1alpha1","kind":"Freeze","metadata":{"namespace":"shop","name":"skewed"},
                 "spec":{"reason":"train","selector":{"matchLabels":"team=shop"}}}""", Freeze.class);
        assertThat(skewed.getSpec().unreadable()).isPresent();
        List<FreezeHold> holds = Freezes.covering(release("shop", Map.of("team", "web")), List.of(skewed), GLOBAL);
        assertThat(holds).singleElement().satisfies(h -> {
            assertThat(h.invalid()).hasValueSatisfying(p -> assertThat(p).startsWith("spec.selector.matchLabels"));
            assertThat(h.allowOverride()).isFalse();
            assertThat(h.until()).isNull();
        });
        assertThat(Freezes.covering(release("billing", Map.of()), List.of(skewed), GLOBAL)).isEmpty();
    }

    @Test
    void aSelectorTheApiServerWouldRefuseIsNamedByFieldAndStillHolds() {
        FreezeSpec typo = spec("launch");
        typo.selector = new LabelSelectorBuilder().addNewMatchExpression().withKey("team").withOperator("Equals").withValues("shop")
                .endMatchExpression().build();
        FreezeHold hold = Freezes.covering(release("shop", Map.of("team", "web")), List.of(freeze("shop", "typo", typo)), GLOBAL).get(0);
        assertThat(hold.invalid()).contains("spec.selector.matchExpressions[0].operator: 'Equals' is not one of In, NotIn, Exists,"
                + " DoesNotExist (so the Freeze holds every Release in its scope until fixed)");
        assertThat(hold.describe()).contains("the Freeze is invalid, fix or delete it");

        // It holds a Release its selector's other terms would not match: the whole scope, until fixed.
        FreezeSpec narrow = spec("launch");
        narrow.selector = new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "payments"))
                .addNewMatchExpression().withKey("team").withOperator("In").endMatchExpression().build();
        assertThat(Freezes.covering(release("shop", Map.of("tier", "web")), List.of(freeze("shop", "narrow", narrow)), GLOBAL))
                .singleElement().satisfies(h -> assertThat(h.invalid()).isPresent());

        FreezeSpec noValues = spec("launch");
        noValues.selector = new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "web"))
                .addNewMatchExpression().withKey("team").withOperator("In").endMatchExpression().build();
        assertThat(Freezes.hold(freeze("shop", "empty", noValues)).invalid())
                .contains("spec.selector.matchExpressions[0].values: must not be empty for In");
        FreezeSpec fine = spec("launch");
        fine.selector = new LabelSelectorBuilder().addNewMatchExpression().withKey("team").withOperator("Exists").endMatchExpression().build();
        assertThat(Freezes.hold(freeze("shop", "fine", fine)).invalid()).isEmpty();
    }
}
