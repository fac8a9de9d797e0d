package dev.glidepath.strategy;

import dev.glidepath.analysis.QueryTemplate;
import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.Command;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.JobPodTemplate;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks what the CRD schema cannot (or what reaches the operator when the schema was not enforced).
 * Each problem names the field it is about.
 */
public final class SpecValidator {

    private SpecValidator() {
    }

    /** A label value: at most 63 characters, alphanumeric at both ends, '-', '_' and '.' inside. */
    private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");
    private static final Pattern LABEL_NAME = Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    /** A named port (IANA service name): at most 15 characters, lowercase letters, digits and '-', one letter at least. */
    private static final Pattern PORT_NAME = Pattern.compile("^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    public static List<String> validate(ReleaseSpec spec) {
        return validate(null, spec);
    }

    /**
     * The problems of a Release's spec, each naming its field; {@code releaseName} is checked too, since it
     * becomes a label value on everything Glidepath creates.
     */
    public static List<String> validate(String releaseName, ReleaseSpec spec) {
        List<String> problems = new ArrayList<>();
        if (releaseName != null && releaseName.length() > 63) {
            problems.add("metadata.name: at most 63 characters (it is the value of the label " + "glidepath.dev/release"
                    + " on every object the Release owns), got " + releaseName.length());
        }
        if (spec == null) {
            problems.add("spec: is required");
            return problems;
        }
        if (spec.unreadable().isPresent()) {
            problems.add(spec.unreadable().get() + " (the value does not fit the field's type)");
            return problems;
        }
        podTemplate(problems, "spec.template", spec.template);
        if (spec.replicas != null && spec.replicas < 0) {
            problems.add("spec.replicas: must be 0 or more, got " + spec.replicas);
        } else if (spec.replicas != null && spec.replicas > ReleaseSpec.MAX_REPLICAS) {
            problems.add("spec.replicas: must be at most " + ReleaseSpec.MAX_REPLICAS + ", got " + spec.replicas);
        }
        if (spec.revisionHistoryLimit != null && spec.revisionHistoryLimit < 0) {
            problems.add("spec.revisionHistoryLimit: must be 0 or more, got " + spec.revisionHistoryLimit);
        }
        if (spec.service == null || spec.service.name == null || spec.service.name.isBlank()) {
            problems.add("spec.service.name: is required");
        } else if (!spec.service.name.matches("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")) {
            problems.add("spec.service.name: '" + spec.service.name + "' is not a valid Service name (DNS-1035 label)");
        }
        if (spec.service != null && (spec.service.ports == null || spec.service.ports.isEmpty())) {
            problems.add("spec.service.ports: at least one port is required");
        } else if (spec.service != null) {
            servicePorts(problems, spec.service.ports);
        }
        duration(problems, "spec.progressDeadline", spec.progressDeadline);
        validateStrategy(spec, problems);
        validateAnalysis(spec.analysis, problems);
        problems.addAll(dev.glidepath.workflow.DeploymentWindows.problems(spec.windows));
        if (spec.notifications != null) {
            for (int i = 0; i < spec.notifications.size(); i++) {
                var n = spec.notifications.get(i);
                String field = "spec.notifications[" + i + "]";
                if (n == null || n.name == null || n.name.isBlank()) {
                    problems.add(field + ".name: is required");
                }
                if (n != null && (n.secretName == null || n.secretName.isBlank())) {
                    problems.add(field + ".secretName: is required (a Secret with the key url)");
                }
                if (n != null && n.events != null) {
                    for (String e : n.events) {
                        if (!dev.glidepath.notify.Webhooks.EVENTS.contains(e)) {
                            problems.add(field + ".events: '" + e + "' is not one of " + dev.glidepath.notify.Webhooks.EVENTS);
                        }
                    }
                }
                if (n != null && n.format != null && !List.of("Generic", "Slack").contains(n.format)) {
                    problems.add(field + ".format: must be Generic or Slack, got '" + n.format + "'");
                }
            }
        }
        if (spec.migration != null) {
            jobTemplate(problems, "spec.migration.template", spec.migration.template, true);
            jobTemplate(problems, "spec.migration.rollback", spec.migration.rollback, false);
            jobTemplate(problems, "spec.migration.post", spec.migration.post, false);
            duration(problems, "spec.migration.timeout", spec.migration.timeout);
            if (spec.migration.backoffLimit != null && spec.migration.backoffLimit < 0) {
                problems.add("spec.migration.backoffLimit: must be 0 or more, got " + spec.migration.backoffLimit);
            }
        }
        if (spec.onWindowClose != null && !List.of("Hold", "Continue").contains(spec.onWindowClose)) {
            problems.add("spec.onWindowClose: must be Hold or Continue, got '" + spec.onWindowClose + "'");
        }
        if (spec.approval != null && spec.approval.approvedRevision != null && spec.approval.approvedRevision < 1) {
            problems.add("spec.approval.approvedRevision: must be a revision number of 1 or more");
        }
        command(problems, "spec.promote", spec.promote);
        command(problems, "spec.abort", spec.abort);
        command(problems, "spec.retry", spec.retry);
        command(problems, "spec.rollback", spec.rollback);
        if (spec.rollback != null && (spec.rollback.revision == null || spec.rollback.revision < 1)) {
            problems.add("spec.rollback.revision: must be a revision number of 1 or more");
        }
        return problems;
    }

    private static void validateStrategy(ReleaseSpec spec, List<String> problems) {
        var strategy = spec.strategy;
        if (strategy == null || (strategy.blueGreen == null) == (strategy.canary == null)) {
            problems.add("spec.strategy: set exactly one of blueGreen or canary");
            return;
        }
        if (strategy.blueGreen != null) {
            var bg = strategy.blueGreen;
            duration(problems, "spec.strategy.blueGreen.promoteAfter", bg.promoteAfter);
            duration(problems, "spec.strategy.blueGreen.scaleDownDelay", bg.scaleDownDelay);
            if (bg.prePromotionVerify != null) {
                jobTemplate(problems, "spec.strategy.blueGreen.prePromotionVerify.template", bg.prePromotionVerify.template, true);
                duration(problems, "spec.strategy.blueGreen.prePromotionVerify.timeout", bg.prePromotionVerify.timeout);
            }
            if (bg.previewService != null && spec.service != null && bg.previewService.equals(spec.service.name)) {
                problems.add("spec.strategy.blueGreen.previewService: must differ from spec.service.name");
            }
            if (bg.previewService != null && !bg.previewService.matches("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")) {
                problems.add("spec.strategy.blueGreen.previewService: '" + bg.previewService
                        + "' is not a valid Service name (DNS-1035 label)");
            }
            return;
        }
        List<CanaryStep> steps = strategy.canary.steps;
        if (steps == null || steps.isEmpty()) {
            problems.add("spec.strategy.canary.steps: at least one step is required");
            return;
        }
        for (int i = 0; i < steps.size(); i++) {
            CanaryStep step = steps.get(i);
            String field = "spec.strategy.canary.steps[" + i + "]";
            int kinds = step == null ? 0 : (step.setWeight != null ? 1 : 0) + (step.pause != null ? 1 : 0) + (step.verify != null ? 1 : 0);
            if (kinds != 1) {
                problems.add(field + ": set exactly one of setWeight, pause or verify");
                continue;
            }
            if (step.verify != null) {
                jobTemplate(problems, field + ".verify.template", step.verify.template, true);
                duration(problems, field + ".verify.timeout", step.verify.timeout);
            }
            if (step.setWeight != null && (step.setWeight < 0 || step.setWeight > 100)) {
                problems.add(field + ".setWeight: must be between 0 and 100, got " + step.setWeight);
            }
            if (step.pause != null) {
                duration(problems, field + ".pause.duration", step.pause.duration);
            }
        }
    }

    private static void validateAnalysis(AnalysisSpec analysis, List<String> problems) {
        if (analysis == null) {
            return;
        }
        if (analysis.prometheus == null || analysis.prometheus.address == null || analysis.prometheus.address.isBlank()) {
            problems.add("spec.analysis.prometheus.address: is required");
        } else {
            try {
                java.net.URI uri = java.net.URI.create(analysis.prometheus.address);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    problems.add("spec.analysis.prometheus.address: '" + analysis.prometheus.address
                            + "' is not an http(s) URL such as http://prometheus.monitoring:9090");
                }
            } catch (IllegalArgumentException e) {
                problems.add("spec.analysis.prometheus.address: '" + analysis.prometheus.address + "' is not a URL");
            }
        }
        if (analysis.prometheus != null) {
            duration(problems, "spec.analysis.prometheus.timeout", analysis.prometheus.timeout);
        }
        duration(problems, "spec.analysis.interval", analysis.interval);
        if (analysis.inconclusiveLimit != null && analysis.inconclusiveLimit < 1) {
            problems.add("spec.analysis.inconclusiveLimit: must be 1 or more, got " + analysis.inconclusiveLimit);
        }
        if (analysis.onInconclusive != null && !List.of("Revert", "Hold").contains(analysis.onInconclusive)) {
            problems.add("spec.analysis.onInconclusive: must be Revert or Hold, got '" + analysis.onInconclusive + "'");
        }
        if (analysis.postPromotion != null) {
            if (analysis.postPromotion.duration == null) {
                problems.add("spec.analysis.postPromotion.duration: is required");
            }
            duration(problems, "spec.analysis.postPromotion.duration", analysis.postPromotion.duration);
        }
        if (analysis.metrics == null || analysis.metrics.isEmpty()) {
            problems.add("spec.analysis.metrics: at least one metric is required");
            return;
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < analysis.metrics.size(); i++) {
            MetricSpec m = analysis.metrics.get(i);
            String field = "spec.analysis.metrics[" + i + "]";
            if (m == null) {
                problems.add(field + ": is empty");
                continue;
            }
            if (m.name == null || !m.name.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")) {
                problems.add(field + ".name: must be lowercase letters, digits and '-', got '" + m.name + "'");
            } else if (!names.add(m.name)) {
                problems.add(field + ".name: '" + m.name + "' is used by another metric");
            }
            for (String p : QueryTemplate.problems(m.query)) {
                problems.add(field + ".query: " + p);
            }
            if (m.threshold == null || (m.threshold.max == null && m.threshold.min == null)) {
                problems.add(field + ".threshold: set max, min or both");
            } else if (m.threshold.max != null && m.threshold.min != null && m.threshold.min > m.threshold.max) {
                problems.add(field + ".threshold: min " + m.threshold.min + " is above max " + m.threshold.max);
            }
            if (m.failureLimit != null && m.failureLimit < 0) {
                problems.add(field + ".failureLimit: must be 0 or more, got " + m.failureLimit);
            }
            if (m.noTraffic != null && !List.of("Inconclusive", "Pass").contains(m.noTraffic)) {
                problems.add(field + ".noTraffic: must be Inconclusive or Pass, got '" + m.noTraffic + "'");
            }
        }
    }

    /** Label (or annotation) keys, and label values, as the API server accepts them. */
    private static void labels(List<String> problems, String field, Map<String, String> labels, boolean checkValues) {
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

    private static void servicePorts(List<String> problems, List<ServicePort> ports) {
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
    private static void jobTemplate(List<String> problems, String field, JobPodTemplate t, boolean required) {
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
    private static void podTemplate(List<String> problems, String field, PodTemplateSpec t) {
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

    private static void duration(List<String> problems, String field, String value) {
        if (value == null) {
            return;
        }
        try {
            if (Durations.parse(value).isZero()) {
                problems.add(field + ": must be a positive duration, got '" + value + "'");
            }
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
        }
    }

    private static void command(List<String> problems, String field, Command command) {
        if (command != null && (command.id == null || command.id.isBlank())) {
            problems.add(field + ".id: must be a non-empty string that is new for each command");
        }
    }
}
