package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.GatewayApiRouting;
import dev.glidepath.api.v1alpha1.HeaderMatch;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.TrafficRoutingSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The checks of spec.trafficRouting and of the header routes of canary steps, each naming its field. */
final class TrafficRules {
    private static final String DNS_LABEL = "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";
    private static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** An HTTP header name (RFC 7230 token), as the Gateway API accepts it. */
    private static final Pattern HEADER_NAME = Pattern.compile("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$");
    private static final int MAX_HEADER_VALUE = 4096;

    private TrafficRules() {
    }

    static void check(List<String> problems, ReleaseSpec spec) {
        TrafficRoutingSpec routing = spec.trafficRouting;
        if (routing == null) {
            headerRoutesNeedARouter(problems, spec);
            return;
        }
        String field = "spec.trafficRouting";
        GatewayApiRouting gateway = routing.gatewayAPI;
        if (gateway == null || gateway.httpRoutes == null || gateway.httpRoutes.isEmpty()) {
            problems.add(field + ".gatewayAPI.httpRoutes: name at least one HTTPRoute");
        } else {
            if (gateway.httpRoutes.size() > GatewayApiRouting.MAX_ROUTES) {
                problems.add(field + ".gatewayAPI.httpRoutes: at most " + GatewayApiRouting.MAX_ROUTES + " routes, got "
                        + gateway.httpRoutes.size());
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < gateway.httpRoutes.size(); i++) {
                String name = gateway.httpRoutes.get(i);
                String f = field + ".gatewayAPI.httpRoutes[" + i + "]";
                if (name == null || name.isBlank()) {
                    problems.add(f + ": is empty");
                } else if (name.contains("/")) {
                    problems.add(f + ": '" + name + "' names another namespace; an HTTPRoute must be in the Release's namespace");
                } else if (name.length() > 253 || !name.matches(DNS_SUBDOMAIN)) {
                    problems.add(f + ": '" + name + "' is not a valid HTTPRoute name (DNS-1123 subdomain)");
                } else if (!seen.add(name)) {
                    problems.add(f + ": '" + name + "' is named twice");
                }
            }
        }
        if (spec.service != null && spec.service.name != null) {
            String canary = routing.canaryServiceName(spec.service.name);
            String f = routing.canaryService != null ? field + ".canaryService" : field + ".canaryService (default "
                    + spec.service.name + "-canary)";
            if (!canary.matches(DNS_LABEL)) {
                problems.add(f + ": '" + canary + "' is not a valid Service name (DNS-1035 label, at most 63 characters)"
                        + (routing.canaryService == null ? "; set spec.trafficRouting.canaryService" : ""));
            } else if (canary.equals(spec.service.name)) {
                problems.add(f + ": must differ from spec.service.name");
            } else if (spec.strategy != null && spec.strategy.blueGreen != null && canary.equals(spec.strategy.blueGreen.previewService)) {
                problems.add(f + ": must differ from spec.strategy.blueGreen.previewService");
            }
        }
        if (spec.strategy != null && spec.strategy.canary != null && spec.strategy.canary.steps != null) {
            List<CanaryStep> steps = spec.strategy.canary.steps;
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i) != null && steps.get(i).setHeaderRoute != null) {
                    headerRoute(problems, "spec.strategy.canary.steps[" + i + "].setHeaderRoute", steps.get(i).setHeaderRoute.match);
                }
            }
        }
    }

    private static void headerRoutesNeedARouter(List<String> problems, ReleaseSpec spec) {
        if (spec.strategy == null || spec.strategy.canary == null || spec.strategy.canary.steps == null) {
            return;
        }
        List<CanaryStep> steps = spec.strategy.canary.steps;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) != null && steps.get(i).setHeaderRoute != null) {
                problems.add("spec.strategy.canary.steps[" + i + "].setHeaderRoute: needs spec.trafficRouting (replica counts cannot"
                        + " route by header)");
            }
        }
    }

    private static void headerRoute(List<String> problems, String field, List<HeaderMatch> matches) {
        if (matches == null) {
            return;
        }
        if (matches.size() > 8) {
            problems.add(field + ".match: at most 8 conditions, got " + matches.size());
        }
        Set<String> names = new HashSet<>();
        for (int k = 0; k < matches.size(); k++) {
            HeaderMatch m = matches.get(k);
            String f = field + ".match[" + k + "]";
            if (m == null || m.name == null || m.name.isBlank()) {
                problems.add(f + ".name: is required");
                continue;
            }
            if (!names.add(m.name.toLowerCase(Locale.ROOT))) {
                problems.add(f + ".name: '" + m.name + "' is matched twice (header names are case-insensitive)");
            }
            if (m.name.length() > 256 || !HEADER_NAME.matcher(m.name).matches()) {
                problems.add(f + ".name: '" + m.name + "' is not an HTTP header name");
            }
            if ((m.exact == null) == (m.regex == null)) {
                problems.add(f + ": set exactly one of exact or regex");
                continue;
            }
            String value = m.exact != null ? m.exact : m.regex;
            if (value.isEmpty() || value.length() > MAX_HEADER_VALUE) {
                problems.add(f + (m.exact != null ? ".exact" : ".regex") + ": must be 1 to " + MAX_HEADER_VALUE + " characters");
            }
            if (m.regex != null) {
                try {
                    Pattern.compile(m.regex);
                } catch (PatternSyntaxException e) {
                    problems.add(f + ".regex: not a regular expression: " + e.getDescription());
                }
            }
        }
    }
}
