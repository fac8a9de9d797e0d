package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The pod template of a migration or smoke-test Job, kept as the fields the API server stored.
 *
 * <p>The CRD keeps these templates as objects with unknown fields preserved: a full pod-template schema for each
 * of them made the CRD too large for {@code kubectl apply}. So the API server no longer checks their types, and a
 * template with, say, {@code args: "migrate"} where a list belongs is stored as written. Read into a
 * {@link PodTemplateSpec} while the Release is deserialized, it would make the whole Release unreadable, and the
 * operator's informer with it. Kept as plain fields, it is read by {@link #podTemplate()}, where the spec
 * validation turns a malformed template into a problem naming its field.
 */
public final class JobPodTemplate {
    /** Said in the CRD's description of each such template, for {@code kubectl explain}. */
    public static final String CHECKED_BY_GLIDEPATH = "A pod template as in a Job; the CRD does not validate its fields, "
            + "Glidepath does: a malformed one sets the InvalidSpec condition.";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public JobPodTemplate() {
    }

    public static JobPodTemplate of(PodTemplateSpec template) {
        JobPodTemplate t = new JobPodTemplate();
        t.fields.putAll(SERIALIZATION.convertValue(template, Map.class));
        return t;
    }

    @JsonAnySetter
    void set(String name, Object value) {
        fields.put(name, value);
    }

    @JsonAnyGetter
    Map<String, Object> fields() {
        return fields;
    }

    /**
     * This template as a pod template.
     *
     * @throws Malformed when a field does not have the type a pod template gives it
     */
    public PodTemplateSpec podTemplate() {
        try {
            return SERIALIZATION.convertValue(fields, PodTemplateSpec.class);
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getCause() instanceof JsonMappingException m ? m : null, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobPodTemplate other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields);
    }

    /**
     * The schema of a job template in the CRD, for {@code @SchemaFrom}: an object, and with
     * {@code @PreserveUnknownFields} its fields are kept as written. The API server still refuses anything but an
     * object, which this class could not be read from.
     */
    public static final class Unchecked {
        private Unchecked() {
        }
    }

    /** A template that is not a pod template: which field inside it, and what is wrong with it. */
    public static final class Malformed extends IllegalArgumentException {
        private final String field;
        private final String problem;

        Malformed(JsonMappingException cause, IllegalArgumentException e) {
            super(e.getMessage(), e);
            this.field = cause == null ? "" : TolerantDeserializer.path("", cause);
            this.problem = cause == null ? e.getMessage() : describe(cause);
        }

        /** The field inside the template, e.g. {@code .spec.containers[0].args}; empty for the template itself. */
        public String field() {
            return field;
        }

        public String problem() {
            return problem;
        }

        /** Says what the field should have been, in the words of a manifest rather than of Java types, where it can. */
        private static String describe(JsonMappingException e) {
            String original = e.getOriginalMessage();
            Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
            if (target == null) {
                return firstLine(original);
            }
            if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
                return original.contains("out of range")
                        ? "is out of range for a " + (target == Integer.class || target == int.class ? 32 : 64) + "-bit integer"
                        : "must be an integer";
            }
            if (target == String.class) {
                return "must be a string";
            }
            if (target == Boolean.class || target == boolean.class) {
                return "must be true or false";
            }
            if (Collection.class.isAssignableFrom(target) || target.isArray()) {
                return "must be a list";
            }
            if (Map.class.isAssignableFrom(target) || target.getName().startsWith("io.fabric8.kubernetes.api.model.")) {
                return "must be an object";
            }
            return firstLine(original);
        }

        private static String firstLine(String message) {
            int newline = message.indexOf('\n');
            return newline < 0 ? message : message.substring(0, newline);
        }
    }
}
