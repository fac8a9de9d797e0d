package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Command;
import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.workflow.DeploymentWindows;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what the CRD schema cannot (or what reaches the operator when the schema was not enforced).
 * Each problem names the field it is about.
 */
public final class SpecValidator {

    private SpecValidator() {
    }


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
        WorkloadRules.podTemplate(problems, "spec.template", spec.template);
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
            WorkloadRules.servicePorts(problems, spec.service.ports);
        }
        duration(problems, "spec.progressDeadline", spec.progressDeadline);
        validateStrategy(spec, problems);
        TrafficRules.check(problems, spec);
        if (spec.adopt != null && (spec.adopt.deployment == null || spec.adopt.deployment.length() > 253
                || !spec.adopt.deployment.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"))) {
            problems.add("spec.adopt.deployment: '" + spec.adopt.deployment + "' is not a Deployment name in the Release's namespace");
        }
        validateAnalysis(spec.analysis, problems);
        problems.addAll(DeploymentWindows.problems(spec.windows));
        validatePromotion(releaseName, spec, problems);
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
                        if (!EventReason.NOTIFICATIONS.contains(e)) {
                            problems.add(field + ".events: '" + e + "' is not one of " + EventReason.NOTIFICATIONS);
                        }
                    }
                }
                if (n != null && n.format != null && !List.of("Generic", "Slack").contains(n.format)) {
                    problems.add(field + ".format: must be Generic or Slack, got '" + n.format + "'");
                }
            }
        }
        if (spec.migration != null) {
            WorkloadRules.jobTemplate(problems, "spec.migration.template", spec.migration.template, true);
            WorkloadRules.jobTemplate(problems, "spec.migration.rollback", spec.migration.rollback, false);
            WorkloadRules.jobTemplate(problems, "spec.migration.post", spec.migration.post, false);
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
        validateChangeManagement(spec, problems);
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
                WorkloadRules.jobTemplate(problems, "spec.strategy.blueGreen.prePromotionVerify.template", bg.prePromotionVerify.template, true);
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
            int kinds = step == null ? 0 : (step.setWeight != null ? 1 : 0) + (step.pause != null ? 1 : 0) + (step.verify != null ? 1 : 0)
                    + (step.setHeaderRoute != null ? 1 : 0);
            if (kinds != 1) {
                problems.add(field + ": set exactly one of setWeight, pause, verify or setHeaderRoute");
                continue;
            }
            if (step.verify != null) {
                WorkloadRules.jobTemplate(problems, field + ".verify.template", step.verify.template, true);
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
                URI uri = URI.create(analysis.prometheus.address);
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
        if (analysis.advance != null && !List.of("OnPass", "UnlessFailed").contains(analysis.advance)) {
            problems.add("spec.analysis.advance: must be OnPass or UnlessFailed, got '" + analysis.advance + "'");
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
        boolean written = analysis.metrics != null && !analysis.metrics.isEmpty();
        if (!written && (analysis.standard == null || analysis.standard.isEmpty())) {
            problems.add(analysis.standard == null ? "spec.analysis.metrics: at least one metric, or spec.analysis.standard, is required"
                    : "spec.analysis.standard: names no standard metric, and spec.analysis.metrics has none");
            return;
        }
        Set<String> standard = StandardMetricRules.check(problems, analysis);
        if (!written) {
            return;
        }
        Set<String> names = new HashSet<>();
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
            } else if (standard.contains(m.name)) {
                problems.add(field + ".name: '" + m.name + "' is the name of a metric spec.analysis.standard adds; rename this one");
            }
            MetricRules.check(problems, field, m);
            if (m.failureLimit != null && m.failureLimit < 0) {
                problems.add(field + ".failureLimit: must be 0 or more, got " + m.failureLimit);
            }
            if (m.noTraffic != null && !List.of("Inconclusive", "Pass").contains(m.noTraffic)) {
                problems.add(field + ".noTraffic: must be Inconclusive or Pass, got '" + m.noTraffic + "'");
            }
        }
    }

    private static void validatePromotion(String releaseName, ReleaseSpec spec, List<String> problems) {
        if (spec.promotion == null) {
            return;
        }
        if (spec.promotion.from == null || spec.promotion.from.isEmpty()) {
            problems.add("spec.promotion.from: at least one upstream Release is required");
            return;
        }
        String dnsLabel = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
        for (int i = 0; i < spec.promotion.from.size(); i++) {
            var u = spec.promotion.from.get(i);
            String field = "spec.promotion.from[" + i + "]";
            if (u == null || u.release == null || u.release.length() > 63 || !u.release.matches(dnsLabel)) {
                problems.add(field + ".release: '" + (u == null ? null : u.release) + "' is not a Release name");
                continue;
            }
            if (u.cluster != null && !u.cluster.matches(dnsLabel)) {
                problems.add(field + ".cluster: '" + u.cluster + "' is not a cluster name (a DNS label)");
            }
            if (u.namespace != null && !u.namespace.matches(dnsLabel)) {
                problems.add(field + ".namespace: '" + u.namespace + "' is not a namespace name");
            }
            if (u.cluster == null && u.namespace == null && u.release.equals(releaseName)) {
                problems.add(field + ": a Release cannot be its own upstream");
            }
            if (u.requireAnalysis != null && (u.requireAnalysis.minRequests == null || u.requireAnalysis.minRequests < 1)) {
                problems.add(field + ".requireAnalysis.minRequests: the requests (1 or more) the upstream's analysis must have judged"
                        + " is required, got " + u.requireAnalysis.minRequests);
            }
            if (u.soak != null) {
                try {
                    Durations.parse(u.soak);
                } catch (IllegalArgumentException e) {
                    problems.add(field + ".soak: " + e.getMessage());
                }
            }
        }
        if (spec.promotion.skipSoak != null && (spec.promotion.skipSoak.revision == null || spec.promotion.skipSoak.revision < 1)) {
            problems.add("spec.promotion.skipSoak.revision: the revision (1 or more) allowed to start without the soak is required");
        }
    }

    private static void validateChangeManagement(ReleaseSpec spec, List<String> problems) {
        String role = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
        if (spec.approval != null && spec.approval.roles != null) {
            var r = spec.approval.roles;
            Map<String, List<String>> byType = new LinkedHashMap<>();
            byType.put("standard", r.standard);
            byType.put("hotfix", r.hotfix);
            byType.put("scheduled", r.scheduled);
            byType.forEach((type, roles) -> {
                if (roles == null) {
                    return;
                }
                for (int i = 0; i < roles.size(); i++) {
                    if (roles.get(i) == null || !roles.get(i).matches(role)) {
                        problems.add("spec.approval.roles." + type + "[" + i + "]: '" + roles.get(i)
                                + "' is not a role name (lowercase letters, digits and '-', at most 63)");
                    }
                }
            });
        }
        if (spec.hotfix != null) {
            if (spec.hotfix.revision == null || spec.hotfix.revision < 1) {
                problems.add("spec.hotfix.revision: the revision (1 or more) that is a hotfix is required");
            }
            if (spec.hotfix.reason == null || spec.hotfix.reason.isBlank()) {
                problems.add("spec.hotfix.reason: is required (an incident number, say): it is recorded in the Events and the Rollout");
            }
        }
        if (spec.change != null && spec.change.link != null && !spec.change.link.matches("^https?://\\S+$")) {
            problems.add("spec.change.link: '" + spec.change.link + "' is not an http(s) link");
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
