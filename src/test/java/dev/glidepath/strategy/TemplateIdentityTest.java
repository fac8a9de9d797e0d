package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What makes a pod template a revision. */
class TemplateIdentityTest {

    private static PodTemplateSpec withLabels(Map<String, String> labels, String image) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
                .build();
    }

    @Test
    void theSameTemplateHasTheSameHash() {
        assertThat(TemplateIdentity.of(Specs.template("shop:1.0"), null))
                .isEqualTo(TemplateIdentity.of(Specs.template("shop:1.0"), null));
        assertThat(TemplateIdentity.hash(Specs.template("shop:1.0"))).hasSize(10).matches("[0-9a-f]{10}");
    }

    @Test
    void theHashDoesNotDependOnMapOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");

        assertThat(TemplateIdentity.hash(withLabels(ab, "shop:1.0"))).isEqualTo(TemplateIdentity.hash(withLabels(ba, "shop:1.0")));
    }

    @Test
    void theHashSurvivesASerializationRoundTrip() throws Exception {
        PodTemplateSpec built = Specs.template("shop:1.0");
        ObjectMapper json = new ObjectMapper();
        PodTemplateSpec read = json.readValue(json.writeValueAsString(built), PodTemplateSpec.class);

        assertThat(TemplateIdentity.hash(read)).isEqualTo(TemplateIdentity.hash(built));
    }

    @Test
    void anyChangeToTheTemplateChangesTheHash() {
        String base = TemplateIdentity.hash(Specs.template("shop:1.0"));
        assertThat(TemplateIdentity.hash(Specs.template("shop:1.1"))).isNotEqualTo(base);
        assertThat(TemplateIdentity.hash(withLabels(Map.of("app", "shop", "tier", "web"), "shop:1.0"))).isNotEqualTo(base);
        PodTemplateSpec env = Specs.template("shop:1.0");
        env.getSpec().getContainers().get(0).setEnv(List.of(new io.fabric8.kubernetes.api.model.EnvVar("MODE", "x", null)));
        assertThat(TemplateIdentity.hash(env)).isNotEqualTo(base);
    }

    @Test
    void theVersionDefaultsToTheFirstImageTag() {
        TemplateIdentity id = TemplateIdentity.of(Specs.template("registry.example.com:5000/team/shop:2.3.1"), null);
        assertThat(id.version()).isEqualTo("2.3.1");
        assertThat(id.images()).containsExactly("registry.example.com:5000/team/shop:2.3.1");
    }

    @Test
    void anExplicitVersionWinsUnlessBlank() {
        assertThat(TemplateIdentity.of(Specs.template("shop:1.0"), "v42").version()).isEqualTo("v42");
        assertThat(TemplateIdentity.of(Specs.template("shop:1.0"), " ").version()).isEqualTo("1.0");
    }

    @Test
    void anExplicitVersionIsPartOfTheIdentityBecauseItLabelsThePods() {
        assertThat(TemplateIdentity.of(Specs.template("shop:1.0"), "v1").hash())
                .isNotEqualTo(TemplateIdentity.of(Specs.template("shop:1.0"), "v2").hash());
        assertThat(TemplateIdentity.of(Specs.template("shop:1.0"), null).hash())
                .isEqualTo(TemplateIdentity.of(Specs.template("shop:1.0"), " ").hash());
    }

    @Test
    void aTemplateWithoutContainersHasAnUnknownVersion() {
        TemplateIdentity id = TemplateIdentity.of(new PodTemplateSpec(), null);
        assertThat(id.version()).isEqualTo("unknown");
        assertThat(id.images()).isEmpty();
    }

    @Test
    void everyContainerImageIsListedInOrder() {
        PodTemplateSpec t = new PodTemplateSpecBuilder().withNewSpec()
                .addNewContainer().withName("app").withImage("shop:3").endContainer()
                .addNewContainer().withName("proxy").withImage("envoy:1.30").endContainer()
                .endSpec().build();
        TemplateIdentity id = TemplateIdentity.of(t, null);
        assertThat(id.images()).containsExactly("shop:3", "envoy:1.30");
        assertThat(id.version()).isEqualTo("3");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "shop:1.2, 1.2",
        "repo/shop:1.2, 1.2",
        "registry:5000/shop, latest",
        "registry:5000/shop:7, 7",
        "shop, latest",
        "shop@sha256:0123456789abcdef0123, 0123456789ab",
        "shop:1.0@sha256:abcdef, abcdef",
        "NULL, unknown"})
    void imageTags(String image, String tag) {
        assertThat(TemplateIdentity.imageTag(image)).isEqualTo(tag);
    }

    @Test
    void aChangedTemplateBecomesTheNextRevisionAndAnOldOneKeepsItsNumber() {
        var cluster = new SimulatedCluster(Specs.canary(1, dev.glidepath.api.v1alpha1.CanaryStep.weight(50))).deployed();
        cluster.setImage("shop:2.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));
        assertThat(cluster.status.stableRevision).isEqualTo(2);

        cluster.setImage("shop:1.0");
        cluster.tickUntil(c -> "Healthy".equals(c.status.phase));

        assertThat(cluster.status.stableRevision).isEqualTo(1);
        assertThat(cluster.deployments).containsOnlyKeys(1, 2);
        assertThat(cluster.status.revisions).extracting(r -> r.number + ":" + r.version).containsExactly("2:2.0", "1:1.0");
    }
}
