package dev.glidepath.api;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds every integer of a generated CRD by what the Java field can hold and, for embedded Kubernetes types, by
 * what the Kubernetes API accepts (ports, probe settings).
 *
 * <p>A CRD's {@code type: integer} is an int64. {@code format: int32} says what the field is, but API servers do not
 * enforce it (kubernetes/kubernetes#136091), so without explicit {@code minimum} and {@code maximum} a Release with
 * {@code replicas: 99999999999} is stored and then cannot be read into the operator's {@code Integer} field. So each
 * integer gets its format from the Java type (int32 for Integer, int64 for Long), and each int32 integer and each
 * int-or-string gets a minimum and a maximum: the one declared with @Min/@Max on Glidepath's own fields, else the one
 * from {@link #EMBEDDED}, else the int32 range. The schema is walked alongside the Java types it was generated from.
 */
final class IntegerBounds implements CRDPostProcessor {
    record Range(long min, long max) {
    }

    static final Range INT32 = new Range(Integer.MIN_VALUE, Integer.MAX_VALUE);
    static final Range PORT = new Range(1, 65535);
    /** A port where 0 means "not set" (nodePort, hostPort) or "the same as port" (a Service's targetPort). */
    static final Range PORT_OR_ZERO = new Range(0, 65535);
    static final Range NON_NEGATIVE = new Range(0, Integer.MAX_VALUE);

    /** Bounds of integers inside embedded Kubernetes types, as the Kubernetes API validates them. */
    static final Map<Class<?>, Map<String, Range>> EMBEDDED = Map.of(
            ServicePort.class, Map.of("port", PORT, "targetPort", PORT_OR_ZERO, "nodePort", PORT_OR_ZERO),
            ContainerPort.class, Map.of("containerPort", PORT, "hostPort", PORT_OR_ZERO),
            HTTPGetAction.class, Map.of("port", PORT),
            TCPSocketAction.class, Map.of("port", PORT),
            GRPCAction.class, Map.of("port", PORT),
            Probe.class, Map.of("initialDelaySeconds", NON_NEGATIVE, "periodSeconds", NON_NEGATIVE,
                    "timeoutSeconds", NON_NEGATIVE, "successThreshold", NON_NEGATIVE, "failureThreshold", NON_NEGATIVE));

    private static final ObjectMapper INTROSPECTION = new ObjectMapper();

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
            Class<?> kind = CrdGeneration.kind(definition);
            definition.getSpec().getVersions().forEach(v -> walk(v.getSchema().getOpenAPIV3Schema(),
                    INTROSPECTION.constructType(kind), null, kind.getSimpleName()));
        }
        return crd;
    }

    /** The Java type of each JSON property of a type, as Jackson (and so the generator) sees it. */
    static Map<String, JavaType> properties(JavaType type) {
        BeanDescription bean = INTROSPECTION.getSerializationConfig().introspect(type);
        Map<String, JavaType> byName = new HashMap<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            byName.put(p.getName(), p.getPrimaryType());
        }
        return byName;
    }

    private void walk(JSONSchemaProps schema, JavaType type, Range declared, String path) {
        if (schema == null) {
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (type.getRawClass() == IntOrString.class) {
                bound(schema, declared);
            }
            return;
        }
        switch (String.valueOf(schema.getType())) {
            case "integer" -> integer(schema, type.getRawClass(), declared, path);
            case "array" -> walk(schema.getItems().getSchema(), type.getContentType(), null, path + "[]");
            case "object" -> {
                if (type.isMapLikeType()) {
                    if (schema.getAdditionalProperties() != null) {
                        walk(schema.getAdditionalProperties().getSchema(), type.getContentType(), null, path + "{}");
                    }
                } else if (schema.getProperties() != null) {
                    Map<String, JavaType> javaProperties = properties(type);
                    Map<String, Range> embedded = EMBEDDED.getOrDefault(type.getRawClass(), Map.of());
                    schema.getProperties().forEach((name, child) -> {
                        JavaType propertyType = javaProperties.get(name);
                        if (propertyType == null) {
                            throw new IllegalStateException(path + "." + name + ": no such property in " + type.getRawClass().getName());
                        }
                        walk(child, propertyType, embedded.get(name), path + "." + name);
                    });
                }
            }
            default -> {
            }
        }
    }

    private static void integer(JSONSchemaProps schema, Class<?> javaType, Range declared, String path) {
        if (javaType == Integer.class || javaType == int.class) {
            schema.setFormat("int32");
            bound(schema, declared);
        } else if (javaType == Long.class || javaType == long.class) {
            schema.setFormat("int64");
        } else {
            throw new IllegalStateException(path + ": an integer in the schema, but " + javaType.getName() + " in Java");
        }
    }

    /** Keeps a bound declared on the field (@Min/@Max) and fills in what is missing. */
    private static void bound(JSONSchemaProps schema, Range declared) {
        Range range = declared != null ? declared : INT32;
        if (schema.getMinimum() == null) {
            schema.setMinimum((double) range.min());
        }
        if (schema.getMaximum() == null) {
            schema.setMaximum((double) range.max());
        }
    }
}
