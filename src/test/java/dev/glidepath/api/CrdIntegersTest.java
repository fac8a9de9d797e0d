package dev.glidepath.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every integer of the committed CRDs can be read into its Java field: the API server refuses what does not fit.
 * A bare {@code type: integer} is an int64 and {@code format: int32} alone is not enforced by API servers, so each
 * int32 needs a minimum and a maximum inside the int32 range.
 */
class CrdIntegersTest {

    static JSONSchemaProps schema(String file) throws IOException {
        var crd = Serialization.unmarshal(Files.readString(Path.of("crds", file)), CustomResourceDefinition.class);
        return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }

    static final Map<String, Class<?>> FILES = Map.of(
            "releases.glidepath.dev-v1.yml", dev.glidepath.api.v1alpha1.Release.class,
            "rollouts.glidepath.dev-v1.yml", dev.glidepath.api.v1alpha1.Rollout.class);

    @Test
    void everyIntegerHasTheFormatOfItsJavaTypeAndEveryInt32IsBoundedToFit() throws IOException {
        IntegerAudit audit = new IntegerAudit();
        for (var file : FILES.entrySet()) {
            audit.walk(schema(file.getKey()), new ObjectMapper().constructType(file.getValue()), file.getKey());
        }
        assertThat(audit.problems).isEmpty();
        // The walk reached into the Release's pod template, which alone holds dozens of each.
        assertThat(audit.int32).as("int32 integers and int-or-strings checked").isGreaterThan(100);
        assertThat(audit.int64).as("int64 integers checked").isGreaterThan(20);
    }

    @Test
    void portsReplicasRevisionsAndPercentagesCarryTheirDomainBounds() throws IOException {
        JSONSchemaProps release = schema("releases.glidepath.dev-v1.yml");
        assertBounds(release, "spec.replicas", 0, 10000);
        assertBounds(release, "spec.revisionHistoryLimit", 0, 100);
        assertBounds(release, "spec.service.ports[].port", 1, 65535);
        assertBounds(release, "spec.service.ports[].targetPort", 0, 65535);
        assertBounds(release, "spec.service.ports[].nodePort", 0, 65535);
        assertBounds(release, "spec.template.spec.containers[].ports[].containerPort", 1, 65535);
        assertBounds(release, "spec.template.spec.initContainers[].ports[].containerPort", 1, 65535);
        assertBounds(release, "spec.template.spec.containers[].ports[].hostPort", 0, 65535);
        assertBounds(release, "spec.template.spec.containers[].readinessProbe.httpGet.port", 1, 65535);
        assertBounds(release, "spec.template.spec.containers[].livenessProbe.tcpSocket.port", 1, 65535);
        assertBounds(release, "spec.template.spec.containers[].startupProbe.grpc.port", 1, 65535);
        assertBounds(release, "spec.template.spec.containers[].livenessProbe.periodSeconds", 0, Integer.MAX_VALUE);
        assertBounds(release, "spec.strategy.canary.steps[].setWeight", 0, 100);
        assertBounds(release, "spec.rollback.revision", 1, Integer.MAX_VALUE);
        assertBounds(release, "spec.approval.approvedRevision", 1, Integer.MAX_VALUE);
        assertBounds(release, "spec.windowOverride.revision", 1, Integer.MAX_VALUE);
        assertBounds(release, "spec.analysis.inconclusiveLimit", 1, Integer.MAX_VALUE);
        assertBounds(release, "spec.analysis.metrics[].failureLimit", 0, Integer.MAX_VALUE);
        assertBounds(release, "spec.migration.backoffLimit", 0, Integer.MAX_VALUE);
        assertBounds(release, "status.canaryWeight", 0, 100);
        assertBounds(release, "status.stableRevision", Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertThat(at(release, "status.observedGeneration").getFormat()).isEqualTo("int64");
        assertThat(at(release, "spec.template.spec.terminationGracePeriodSeconds").getFormat()).isEqualTo("int64");

        JSONSchemaProps rollout = schema("rollouts.glidepath.dev-v1.yml");
        assertBounds(rollout, "status.weight", 0, 100);
        assertBounds(rollout, "spec.toRevision", Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static void assertBounds(JSONSchemaProps root, String path, long min, long max) {
        JSONSchemaProps s = at(root, path);
        assertThat(s.getMinimum()).as("%s minimum", path).isEqualTo((double) min);
        assertThat(s.getMaximum()).as("%s maximum", path).isEqualTo((double) max);
    }

    /** The schema at a path such as {@code spec.service.ports[].port}. */
    static JSONSchemaProps at(JSONSchemaProps root, String path) {
        JSONSchemaProps s = root;
        for (String part : path.split("\\.")) {
            boolean items = part.endsWith("[]");
            String name = items ? part.substring(0, part.length() - 2) : part;
            assertThat(s.getProperties()).as("%s: properties at %s", path, name).containsKey(name);
            s = s.getProperties().get(name);
            if (items) {
                s = s.getItems().getSchema();
            }
        }
        return s;
    }

    /** Walks a schema alongside the Java types the operator reads it into. */
    private static final class IntegerAudit {
        final List<String> problems = new ArrayList<>();
        int int32;
        int int64;

        void walk(JSONSchemaProps schema, JavaType type, String path) {
            if (schema == null) {
                return;
            }
            Class<?> raw = type.getRawClass();
            if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
                if (raw == IntOrString.class) {
                    int32++;
                    checkInt32Bounds(schema, path);
                }
                return;
            }
            if ("integer".equals(schema.getType())) {
                if (schema.getFormat() == null) {
                    problems.add(path + ": an integer without a format");
                } else if (raw == Integer.class || raw == int.class) {
                    int32++;
                    if (!"int32".equals(schema.getFormat())) {
                        problems.add(path + ": format " + schema.getFormat() + " for a Java " + raw.getSimpleName());
                    }
                    checkInt32Bounds(schema, path);
                } else if (raw == Long.class || raw == long.class) {
                    int64++;
                    if (!"int64".equals(schema.getFormat())) {
                        problems.add(path + ": format " + schema.getFormat() + " for a Java " + raw.getSimpleName());
                    }
                } else {
                    problems.add(path + ": an integer read into a Java " + raw.getName());
                }
                return;
            }
            if (schema.getItems() != null) {
                walk(schema.getItems().getSchema(), type.getContentType(), path + "[]");
            }
            if (type.isMapLikeType() && schema.getAdditionalProperties() != null) {
                walk(schema.getAdditionalProperties().getSchema(), type.getContentType(), path + "{}");
            } else if (schema.getProperties() != null) {
                Map<String, JavaType> javaProperties = IntegerBounds.properties(type);
                schema.getProperties().forEach((name, child) -> {
                    if (javaProperties.containsKey(name)) {
                        walk(child, javaProperties.get(name), path + "." + name);
                    } else {
                        problems.add(path + "." + name + ": no such property in " + raw.getName());
                    }
                });
            }
        }

        private void checkInt32Bounds(JSONSchemaProps schema, String path) {
            if (schema.getMinimum() == null || schema.getMinimum() < Integer.MIN_VALUE) {
                problems.add(path + ": minimum " + schema.getMinimum() + " lets in a value that does not fit an int32");
            }
            if (schema.getMaximum() == null || schema.getMaximum() > Integer.MAX_VALUE) {
                problems.add(path + ": maximum " + schema.getMaximum() + " lets in a value that does not fit an int32");
            }
        }
    }
}
