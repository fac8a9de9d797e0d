package dev.glidepath.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdsAreCurrentTest {

    /** The build's own copy: what the API classes generate, written where the build keeps generated manifests. */
    static final Path GENERATED = Path.of("target", "kubernetes");

    @Test
    void committedCrdsMatchTheApiClasses() throws IOException {
        Path dir = GENERATED;
        Files.createDirectories(dir);
        CrdGeneration.generate(dir);
        for (String file : List.of("releases.glidepath.dev-v1.yml", "rollouts.glidepath.dev-v1.yml", "freezes.glidepath.dev-v1.yml")) {
            Path committed = Path.of("crds", file);
            assertThat(committed).as("crds/%s exists (run `make crds`)", file).exists();
            assertThat(Files.readString(committed))
                    .as("crds/%s is out of date: run `make crds` and commit the result", file)
                    .isEqualTo(Files.readString(dir.resolve(file)));
        }
    }

    @Test
    void releaseColumnsReadAsTheOnCallViewAndShortNamesAvoidArgo() throws IOException {
        var crd = Serialization.unmarshal(Files.readString(Path.of("crds", "releases.glidepath.dev-v1.yml")),
                CustomResourceDefinition.class);
        assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(c -> c.getName())
                .containsExactly("VERSION", "STRATEGY", "PHASE", "TYPE", "WEIGHT", "STABLE", "AGE", "FROZEN-BY");
        assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
        var rollouts = Serialization.unmarshal(Files.readString(Path.of("crds", "rollouts.glidepath.dev-v1.yml")),
                CustomResourceDefinition.class);
        assertThat(crd.getSpec().getNames().getShortNames()).doesNotContain("ro", "rollout");
        assertThat(rollouts.getSpec().getNames().getShortNames()).doesNotContain("ro", "rollout");
        assertThat(rollouts.getSpec().getNames().getSingular()).isEqualTo("rollout");
    }
}
