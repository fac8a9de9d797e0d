package dev.glidepath.sandbox;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Every kind of request the operator's own client sent during this JVM (the whole test suite): verb, API
 * group, resource and subresource, in RBAC's terms. The least-privilege test compares it with the chart's
 * RBAC rules.
 */
public final class OperatorRequests implements Interceptor {
    /** An RBAC permission: group "" is the core group; subresource is empty for the resource itself. */
    public record Permission(String verb, String group, String resource) implements Comparable<Permission> {
        @Override
        public int compareTo(Permission o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
        }
    }

    private static final Set<Permission> SEEN = new ConcurrentSkipListSet<>();
    public static final OperatorRequests RECORDER = new OperatorRequests();

    private OperatorRequests() {
    }

    public static Set<Permission> seen() {
        return new TreeSet<>(SEEN);
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        Permission p = permission(request.method(), request.uri().getPath(), request.uri().getQuery());
        if (p != null) {
            SEEN.add(p);
        }
    }

    /** The permission a request needs, from its method and path; null for non-resource paths. */
    static Permission permission(String method, String path, String query) {
        String[] parts = path.replaceAll("^/+", "").split("/");
        int i;
        String group;
        if (parts.length >= 2 && parts[0].equals("api")) {
            group = "";
            i = 2;
        } else if (parts.length >= 3 && parts[0].equals("apis")) {
            group = parts[1];
            i = 3;
        } else {
            return null;
        }
        if (parts.length > i + 1 && parts[i].equals("namespaces") && parts.length > i + 2) {
            i += 2;
        }
        if (parts.length <= i) {
            return null;
        }
        String resource = parts[i];
        boolean named = parts.length > i + 1;
        if (parts.length > i + 2) {
            resource = resource + "/" + parts[i + 2];
        }
        String verb = switch (method) {
            case "GET" -> named ? "get" : query != null && query.matches(".*(^|&)watch=(true|1).*") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return new Permission(verb, group, resource);
    }
}
