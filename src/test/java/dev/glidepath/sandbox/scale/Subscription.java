package dev.glidepath.sandbox.scale;

import java.util.function.Consumer;

/**
 * One watch: the kind, namespace (null: all) and selectors it covers, and where its events go. An object that
 * stops matching the selectors is sent as DELETED, one that starts matching as ADDED, as the API server does.
 */
record Subscription(ApiResource resource, String namespace, LabelSelector labels, FieldSelector fields,
        Consumer<String> sink) {

    void deliver(Change change) {
        if (!change.object().resource().equals(resource)) {
            return;
        }
        boolean before = change.previous() != null && selects(change.previous());
        boolean after = selects(change.object());
        if (change.type().equals("DELETED")) {
            if (before || after) {
                send("DELETED", change.object());
            }
        } else if (after) {
            send(before ? "MODIFIED" : "ADDED", change.object());
        } else if (before) {
            send("DELETED", change.object());
        }
    }

    void send(String type, StoredObject object) {
        sink.accept("{\"type\":\"" + type + "\",\"object\":" + object.jsonText() + "}");
    }

    /** The resourceVersion asked for has left the history: the client must list again. */
    void expired() {
        sink.accept("{\"type\":\"ERROR\",\"object\":" + new ApiError(410, "Expired", "too old resource version").statusJson() + "}");
    }

    private boolean selects(StoredObject o) {
        return (namespace == null || namespace.equals(o.namespace())) && labels.matches(o.labels()) && fields.matches(o);
    }
}
