package dev.glidepath.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Clock;

/** {@code kubectl glidepath dashboard}: a live page on 127.0.0.1 with the user's own permissions. */
final class Dashboard {
    private Dashboard() {
    }

    /** Serves until the process ends; {@code namespace} null for all namespaces. */
    static void serve(KubernetesClient client, ReleaseCommands commands, String namespace, int port, Clock clock, PrintStream out) {
        throw new CliException(CliException.REFUSED, "the dashboard is not built yet");
    }
}
