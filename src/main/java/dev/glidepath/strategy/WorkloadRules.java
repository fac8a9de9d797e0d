package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.JobPodTemplate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API server would refuse in the objects Glidepath derives from a Release, checked before anything is
 * written: label keys and values, Service and container ports, pod templates (each problem names its field).
 */
final class WorkloadRules {
    /** A label value: at most 63 characters, alphanumeric at both ends, '-', '_' and '.' inside. */
    private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");
    private static final Pattern LABEL_NAME = Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    /** A named port (IANA service name): at most 15 characters, lowercase letters, digits and '-', one letter at least. */
    private static final Pattern PORT_NAME = Pattern.compile("^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    private WorkloadRules() {
    }

    /** Label (or annotation) keys, and label values, as the API server accepts them. */
    static void labels(List<String> problems, String field, Map<String, String> labels, boolean checkValues) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            String keyProblem = labelKeyProblem(key);
            if (keyProblem != null) {
                problems.add(field + ": key '" + key + "' " + keyProblem);
            }
            if (checkValues && (value == null || !LABEL_VALUE.matcher(value).matches())) {
                problems.add(field + "['" + key + "']: '" + value + "' is not a valid label value (at most 63 characters: "
                        + "letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
            }
        });
    }

    private static String labelKeyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "is empty";
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "has an invalid prefix (a DNS subdomain such as example.com, then one '/')";
            }
        }
        if (!LABEL_NAME.matcher(name).matches()) {
            return "is not a valid key (an optional DNS prefix and '/', then at most 63 characters: letters, digits, "
                    + "'-', '_' or '.', starting and ending with a letter or digit)";
        }
        return null;
    }

    static void servicePorts(List<String> problems, List<ServicePort> ports) {
        Set<String> names = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String field = "spec.service.ports[" + i + "]";
            if (p == null) {
                problems.add(field + ": is empty");
                continue;
            }
            if (p.getPort() == null || p.getPort() < 1 || p.getPort() > 65535) {
                problems.add(field + ".port: must be between 1 and 65535, got " + p.getPort());
            }
            String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (!PROTOCOLS.contains(protocol)) {
                problems.add(field + ".protocol: must be TCP, UDP or SCTP, got '" + protocol + "'");
            } else if (p.getPort() != null && !numbers.add(p.getPort() + "/" + protocol)) {
                problems.add(field + ".port: " + p.getPort() + "/" + protocol + " is used by another port");
            }
            if (ports.size() > 1 && (p.getName() == null || p.getName().isEmpty())) {
                problems.add(field + ".name: is required when the Service has more than one port");
            } else if (p.getName() != null && !p.getName().isEmpty()) {
                if (!p.getName().matches("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")) {
                    problems.add(field + ".name: '" + p.getName() + "' is not a valid port name (a DNS label)");
                } else if (!names.add(p.getName())) {
                    problems.add(field + ".name: '" + p.getName() + "' is used by another port");
                }
            }
            IntOrString target = p.getTargetPort();
            if (target != null && target.getIntVal() != null && (target.getIntVal() < 1 || target.getIntVal() > 65535)) {
                problems.add(field + ".targetPort: must be between 1 and 65535, got " + target.getIntVal());
            } else if (target != null && target.getStrVal() != null && !PORT_NAME.matcher(target.getStrVal()).matches()) {
                problems.add(field + ".targetPort: '" + target.getStrVal() + "' is neither a port number nor a port name "
                        + "(at most 15 characters: lowercase letters, digits and '-')");
            }
        }
    }

    private static void containerPorts(List<String> problems, String field, List<ContainerPort> ports) {
        if (ports == null) {
            return;
        }
        for (int i = 0; i < ports.size(); i++) {
            ContainerPort p = ports.get(i);
            if (p != null && (p.getContainerPort() == null || p.getContainerPort() < 1 || p.getContainerPort() > 65535)) {
                problems.add(field + "[" + i + "].containerPort: must be between 1 and 65535, got "
                        + (p.getContainerPort()));
            }
        }
    }

    /**
     * A Job's pod template. The CRD keeps these without a schema of their own (it would be too large), so what the
     * schema checked is checked here: that the template reads as a pod template at all. Then it is checked as the
     * Release's own template is.
     */
    static void jobTemplate(List<String> problems, String field, JobPodTemplate t, boolean required) {
        if (t == null) {
            if (required) {
                problems.add(field + ": a pod template is required");
            }
            return;
        }
        try {
            podTemplate(problems, field, t.podTemplate());
        } catch (JobPodTemplate.Malformed e) {
            problems.add(field + e.field() + ": " + e.problem());
        }
    }

    /** What Kubernetes requires of a pod template and the CRD schema cannot say: containers, each named, each with an image. */
    static void podTemplate(List<String> problems, String field, PodTemplateSpec t) {
        if (t == null || t.getSpec() == null) {
            problems.add(field + ": a pod template with a spec is required");
            return;
        }
        if (t.getSpec().getContainers() == null || t.getSpec().getContainers().isEmpty()) {
            problems.add(field + ".spec.containers: at least one container is required");
        }
        containers(problems, field + ".spec.containers", t.getSpec().getContainers());
        containers(problems, field + ".spec.initContainers", t.getSpec().getInitContainers());
        if (t.getMetadata() != null) {
            labels(problems, field + ".metadata.labels", t.getMetadata().getLabels(), true);
            labels(problems, field + ".metadata.annotations", t.getMetadata().getAnnotations(), false);
        }
    }

    private static void containers(List<String> problems, String field, List<Container> containers) {
        for (int i = 0; containers != null && i < containers.size(); i++) {
            Container c = containers.get(i);
            if (c == null) {
                problems.add(field + "[" + i + "]: is empty");
                continue;
            }
            if (c.getName() == null || c.getName().isBlank()) {
                problems.add(field + "[" + i + "].name: is required");
            }
            if (c.getImage() == null || c.getImage().isBlank()) {
                problems.add(field + "[" + i + "].image: is required");
            }
            containerPorts(problems, field + "[" + i + "].ports", c.getPorts());
        }
    }
}
