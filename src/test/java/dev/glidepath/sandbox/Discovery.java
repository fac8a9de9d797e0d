package dev.glidepath.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/** The discovery documents kubectl asks for before anything else (/version, /api, /apis and each group). */
public final class Discovery {
    static final String GATEWAY_API = "gateway.networking.k8s.io";

    private Discovery() {
    }

    public static Map<String, String> documents() {
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put("/version", """
                {"major":"1","minor":"32","gitVersion":"v1.32.0-glidepath-sandbox","platform":"linux/amd64"}""");
        docs.put("/api", """
                {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""");
        docs.put("/apis", """
                {"kind":"APIGroupList","apiVersion":"v1","groups":[
                 %s,%s,%s,%s,%s]}""".formatted(group("apps", "v1"), group("batch", "v1"), group("glidepath.dev", "v1alpha1"),
                group("coordination.k8s.io", "v1"), group(GATEWAY_API, "v1")));
        docs.put("/api/v1", resources("v1",
                resource("pods", "Pod", "po", true),
                resource("services", "Service", "svc", true),
                resource("events", "Event", "ev", false),
                resource("secrets", "Secret", null, false),
                resource("configmaps", "ConfigMap", "cm", false),
                resource("namespaces", "Namespace", "ns", false).replace("\"namespaced\":true", "\"namespaced\":false")));
        docs.put("/apis/apps/v1", resources("apps/v1",
                resource("deployments", "Deployment", "deploy", true),
                resource("replicasets", "ReplicaSet", "rs", true)));
        docs.put("/apis/batch/v1", resources("batch/v1", resource("jobs", "Job", null, true)));
        docs.put("/apis/coordination.k8s.io/v1", resources("coordination.k8s.io/v1", resource("leases", "Lease", null, false)));
        docs.put("/apis/glidepath.dev/v1alpha1", resources("glidepath.dev/v1alpha1",
                resource("releases", "Release", "rel\",\"gprel", true),
                "{\"name\":\"releases/scale\",\"singularName\":\"\",\"namespaced\":true,\"group\":\"autoscaling\",\"version\":\"v1\","
                        + "\"kind\":\"Scale\",\"verbs\":[\"get\",\"patch\",\"update\"]}",
                resource("rollouts", "Rollout", "grol\",\"gprollout", true),
                resource("freezes", "Freeze", "gpfreeze", true),
                resource("approvals", "Approval", "gpapproval\",\"gpa", true)));
        docs.put("/apis/" + GATEWAY_API + "/v1", resources(GATEWAY_API + "/v1", resource("httproutes", "HTTPRoute", null, true)));
        return docs;
    }

    private static String group(String name, String version) {
        return """
                {"name":"%s","versions":[{"groupVersion":"%s/%s","version":"%s"}],"preferredVersion":{"groupVersion":"%s/%s","version":"%s"}}"""
                .formatted(name, name, version, version, name, version, version);
    }

    private static String resources(String groupVersion, String... resources) {
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + String.join(",", resources) + "]}";
    }

    private static String resource(String plural, String kind, String shortNames, boolean withStatus) {
        String singular = kind.toLowerCase();
        String main = "{\"name\":\"" + plural + "\",\"singularName\":\"" + singular + "\",\"namespaced\":true,\"kind\":\""
                + kind + "\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]"
                + (shortNames == null ? "" : ",\"shortNames\":[\"" + shortNames + "\"]") + "}";
        if (!withStatus) {
            return main;
        }
        return main + ",{\"name\":\"" + plural + "/status\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"" + kind
                + "\",\"verbs\":[\"get\",\"patch\",\"update\"]}";
    }
}
