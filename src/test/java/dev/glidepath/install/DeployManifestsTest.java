package dev.glidepath.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DeployManifestsTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void deployHoldsTheChartsDefaultsAndTheGeneratedCrds() throws IOException {
        assertThat(Files.readString(Path.of("deploy", "glidepath.yaml")))
                .as("deploy/glidepath.yaml is out of date: run `make manifests`").isEqualTo(Manifests.render());
        List<String> crds;
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            crds = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertThat(crds).hasSize(4);
        String kustomization = Files.readString(Path.of("deploy", "kustomization.yaml"));
        for (String file : crds) {
            assertThat(Files.readString(Path.of("deploy", "crds", file))).as("deploy/crds/%s (run `make crds`)", file)
                    .isEqualTo(Files.readString(Path.of("crds", file)));
            assertThat(kustomization).as("deploy/kustomization.yaml lists every CRD").contains("crds/" + file);
        }
        assertThat(kustomization).contains("glidepath.yaml");
    }

    @Test
    void everyExampleIsValidAgainstTheGeneratedSchema() throws IOException {
        var crd = Serialization.unmarshal(Files.readString(Path.of("crds", "releases.glidepath.dev-v1.yml")),
                CustomResourceDefinition.class);
        var schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("deploy", "examples"))) {
            examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        for (Path example : examples) {
            List<JsonNode> docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(example.toFile()).readAll();
            // An example holds one Release, and may hold the user's own objects it needs (an HTTPRoute); or a Freeze.
            if (docs.size() == 1 && docs.get(0).path("kind").asText().equals("Freeze")) {
                var freezes = Serialization.unmarshal(Files.readString(Path.of("crds", "freezes.glidepath.dev-v1.yml")),
                        CustomResourceDefinition.class).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
                JsonNode doc = docs.get(0);
                ((com.fasterxml.jackson.databind.node.ObjectNode) doc).remove(List.of("apiVersion", "kind", "metadata"));
                assertThat(SchemaCheck.check(freezes, doc)).as(example.toString()).isEmpty();
                continue;
            }
            assertThat(docs).as(example.toString()).filteredOn(d -> d.path("kind").asText().equals("Release")).hasSize(1);
            assertThat(docs).extracting(d -> d.path("kind").asText()).allMatch(k -> List.of("Release", "HTTPRoute").contains(k));
            for (JsonNode doc : docs) {
                if (!doc.path("kind").asText().equals("Release")) {
                    continue;
                }
                var release = YAML.treeToValue(doc, dev.glidepath.api.v1alpha1.Release.class);
                ((com.fasterxml.jackson.databind.node.ObjectNode) doc).remove(List.of("apiVersion", "kind", "metadata"));
                assertThat(SchemaCheck.check(schema, doc)).as(example.toString()).isEmpty();
                assertThat(dev.glidepath.strategy.SpecValidator.validate(release.getSpec())).as(example.toString()).isEmpty();
            }
        }
    }

    @Test
    void theSchemaCheckCatchesWhatTheApiServerWould() throws IOException {
        var crd = Serialization.unmarshal(Files.readString(Path.of("crds", "releases.glidepath.dev-v1.yml")),
                CustomResourceDefinition.class);
        var schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        JsonNode bad = YAML.readTree("""
                spec:
                  replicas: -1
                  progresDeadline: 5m
                  strategy:
                    canary:
                      steps: [{setWeight: 101}]
                  service: {name: Bad_Name, ports: [{port: 80}]}
                """);
        assertThat(SchemaCheck.check(schema, bad)).anyMatch(p -> p.contains(".spec.replicas: below minimum"))
                .anyMatch(p -> p.contains(".spec.progresDeadline: unknown field"))
                .anyMatch(p -> p.contains("setWeight: above maximum"))
                .anyMatch(p -> p.contains(".spec.service.name: 'Bad_Name' does not match"))
                .anyMatch(p -> p.contains(".spec.template: required"));
    }

    @Test
    void integersThatDoNotFitTheOperatorsFieldsAreRefused() throws IOException {
        var crd = Serialization.unmarshal(Files.readString(Path.of("crds", "releases.glidepath.dev-v1.yml")),
                CustomResourceDefinition.class);
        var schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        JsonNode bad = YAML.readTree("""
                spec:
                  replicas: 99999999999
                  template:
                    spec:
                      containers:
                        - name: app
                          image: app:1
                          ports: [{containerPort: 99999999999}]
                          readinessProbe: {httpGet: {port: 70000}, periodSeconds: -1}
                  service: {name: shop, ports: [{port: 0, targetPort: 99999999999}]}
                  strategy:
                    canary:
                      steps: [{setWeight: 50}]
                  analysis:
                    prometheus: {address: "http://prometheus:9090"}
                    metrics: [{name: errors, query: q, threshold: {max: 1}, failureLimit: 4294967296}]
                  rollback: {id: r, revision: 0}
                """);
        assertThat(SchemaCheck.check(schema, bad)).containsExactlyInAnyOrder(
                ".spec.replicas: above maximum 10000.0",
                ".spec.template.spec.containers[0].ports[0].containerPort: above maximum 65535.0",
                ".spec.template.spec.containers[0].readinessProbe.httpGet.port: above maximum 65535.0",
                ".spec.template.spec.containers[0].readinessProbe.periodSeconds: below minimum 0.0",
                ".spec.service.ports[0].port: below minimum 1.0",
                ".spec.service.ports[0].targetPort: above maximum 65535.0",
                ".spec.analysis.metrics[0].failureLimit: above maximum 2.147483647E9",
                ".spec.rollback.revision: below minimum 1.0");
    }
}
