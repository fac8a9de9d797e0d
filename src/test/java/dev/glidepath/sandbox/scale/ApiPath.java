package dev.glidepath.sandbox.scale;

import java.util.Optional;

/**
 * A request path taken apart: /api/v1/namespaces/ns/services/name or /apis/group/version/[namespaces/ns/]plural
 * [/name[/subresource]]. {@code namespace} is null for a cluster-wide request, {@code name} for a collection,
 * {@code subresource} for the main resource.
 */
record ApiPath(ApiResource resource, String namespace, String name, String subresource) {

    /** The path's resource, if it names one the scale API serves. */
    static Optional<ApiPath> parse(String path) {
        String[] parts = path.replaceAll("^/+", "").split("/");
        int i;
        String group;
        String version;
        if (parts.length >= 3 && parts[0].equals("api")) {
            group = "";
            version = parts[1];
            i = 2;
        } else if (parts.length >= 4 && parts[0].equals("apis")) {
            group = parts[1];
            version = parts[2];
            i = 3;
        } else {
            return Optional.empty();
        }
        String namespace = null;
        // "namespaces/x/plural..." is namespaced; "namespaces[/x]" alone is the Namespace resource itself.
        if (parts[i].equals("namespaces") && parts.length > i + 2) {
            namespace = parts[i + 1];
            i += 2;
        }
        String plural = parts[i];
        String name = parts.length > i + 1 ? parts[i + 1] : null;
        String subresource = parts.length > i + 2 ? parts[i + 2] : null;
        if (parts.length > i + 3) {
            return Optional.empty();
        }
        String ns = namespace;
        return ApiResource.find(group, version, plural).filter(r -> r.namespaced() || ns == null)
                .map(r -> new ApiPath(r, ns, name, subresource));
    }

    boolean isStatus() {
        return "status".equals(subresource);
    }
}
