package dev.glidepath.sandbox.scale;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

/**
 * The WebSocket of one watch: subscribes to the store once the socket is open (changes made in between are
 * replayed from the history, since the watch starts from a resourceVersion) and unsubscribes when it closes.
 */
final class WatchStream extends WebSocketListener {
    private final ObjectStore store;
    private final ApiPath path;
    private final LabelSelector labels;
    private final FieldSelector fields;
    private final long fromResourceVersion;
    private volatile Subscription subscription;

    WatchStream(ObjectStore store, ApiPath path, LabelSelector labels, FieldSelector fields, long fromResourceVersion) {
        this.store = store;
        this.path = path;
        this.labels = labels;
        this.fields = fields;
        this.fromResourceVersion = fromResourceVersion;
    }

    @Override
    public void onOpen(WebSocket socket, Response response) {
        subscription = new Subscription(path.resource(), path.namespace(), labels, fields, socket::send);
        store.subscribe(subscription, fromResourceVersion);
    }

    @Override
    public void onClosing(WebSocket socket, int code, String reason) {
        close();
    }

    @Override
    public void onClosed(WebSocket socket, int code, String reason) {
        close();
    }

    @Override
    public void onFailure(WebSocket socket, Throwable failure, Response response) {
        close();
    }

    private void close() {
        if (subscription != null) {
            store.unsubscribe(subscription);
        }
    }
}
