package dev.glidepath.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs install with a client-side {@code kubectl apply -f crds/} or {@code kubectl apply -k deploy/}. Such an
 * apply keeps the whole object as compact JSON in the last-applied-configuration annotation, and an object's
 * annotations may hold at most 262144 bytes (256 KiB), so a larger CRD cannot be applied that way at all. The
 * size is kept well below that, and the size is not won by dropping what users read or what keeps the operator safe.
 */
class CrdSizeTest {
    static final int ANNOTATIONS_LIMIT = 262144;
    /** Well under the limit, so that the API can grow before anyone meets it. */
    static final int BUDGET = 160 * 1024;

    @Test
    void everyCommittedCrdStaysWellUnderTheClientSideApplyLimit() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectMapper json = new ObjectMapper();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("crds", "deploy/crds", "helm/glidepath/crds")) {
            try (Stream<Path> list = Files.list(Path.of(dir))) {
                list.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSize(12);
        for (Path file : files) {
            int compact = json.writeValueAsBytes(yaml.readTree(file.toFile())).length;
            assertThat(compact).as("%s as compact JSON: %d bytes, budget %d, hard limit %d", file, compact, BUDGET,
                    ANNOTATIONS_LIMIT).isLessThanOrEqualTo(BUDGET);
        }
    }

    @Test
    void onlyTheJobTemplatesAreLeftUncheckedAndTheReleaseTemplateKeepsItsFullSchema() throws IOException {
        JSONSchemaProps release = CrdIntegersTest.schema("releases.glidepath.dev-v1.yml");
        assertThat(unchecked(release, "")).containsExactlyInAnyOrder(
                ".spec.migration.template", ".spec.migration.rollback", ".spec.migration.post",
                ".spec.strategy.blueGreen.prePromotionVerify.template", ".spec.strategy.canary.steps[].verify.template");
        assertThat(unchecked(CrdIntegersTest.schema("rollouts.glidepath.dev-v1.yml"), "")).containsExactlyInAnyOrder(
                ".spec.strategy.blueGreen.prePromotionVerify.template", ".spec.strategy.canary.steps[].verify.template");
        for (String path : List.of("spec.migration.template", "spec.strategy.canary.steps[].verify.template")) {
            JSONSchemaProps template = CrdIntegersTest.at(release, path);
            assertThat(template.getType()).as(path).isEqualTo("object");
            assertThat(template.getDescription()).as(path).contains("Glidepath does");
        }
        JSONSchemaProps container = CrdIntegersTest.at(release, "spec.template.spec.containers[]");
        assertThat(container.getProperties()).containsKeys("name", "image", "ports", "resources", "livenessProbe", "securityContext");
        assertThat(CrdIntegersTest.at(release, "spec.template.spec").getProperties())
                .containsKeys("initContainers", "volumes", "affinity", "tolerations", "topologySpreadConstraints");
    }

    @Test
    void kubectlExplainDescribesEveryGlidepathFieldOfTheSpecs() throws IOException {
        for (var file : CrdIntegersTest.FILES.entrySet()) {
            JSONSchemaProps spec = CrdIntegersTest.at(CrdIntegersTest.schema(file.getKey()), "spec");
            JavaType specType = IntegerBounds.properties(new ObjectMapper().constructType(file.getValue())).get("spec");
            List<String> undescribed = new ArrayList<>();
            undescribed(spec, specType, "spec", undescribed);
            assertThat(undescribed).as(file.getKey()).isEmpty();
        }
    }

    /** Paths whose fields the API server keeps without checking them. */
    private static List<String> unchecked(JSONSchemaProps schema, String path) {
        List<String> found = new ArrayList<>();
        if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
            found.add(path);
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> found.addAll(unchecked(child, path + "." + name)));
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            found.addAll(unchecked(schema.getItems().getSchema(), path + "[]"));
        }
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
            found.addAll(unchecked(schema.getAdditionalProperties().getSchema(), path + "{}"));
        }
        return found;
    }

    /** Properties of Glidepath's own classes (not of embedded Kubernetes types) that have no description. */
    private static void undescribed(JSONSchemaProps schema, JavaType type, String path, List<String> found) {
        if (schema.getItems() != null) {
            undescribed(schema.getItems().getSchema(), type.getContentType(), path + "[]", found);
            return;
        }
        if (schema.getProperties() == null || !type.getRawClass().getPackageName().startsWith("dev.glidepath")) {
            return;
        }
        Map<String, JavaType> javaProperties = IntegerBounds.properties(type);
        schema.getProperties().forEach((name, child) -> {
            if (child.getDescription() == null || child.getDescription().isBlank()) {
                found.add(path + "." + name);
            }
            undescribed(child, javaProperties.get(name), path + "." + name, found);
        });
    }
}
