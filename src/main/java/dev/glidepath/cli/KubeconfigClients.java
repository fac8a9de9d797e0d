package dev.glidepath.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Clients from the kubeconfig: KUBECONFIG or ~/.kube/config, its current context unless {@code --context}. */
final class KubeconfigClients implements Cli.Clients {
    private KubeconfigClients() {
    }

    static Cli.Clients fromEnvironment() {
        return new KubeconfigClients();
    }

    @Override
    public KubernetesClient client(String context) {
        String kubeconfig = System.getenv("KUBECONFIG");
        boolean found = kubeconfig != null && !kubeconfig.isBlank()
                ? java.util.Arrays.stream(kubeconfig.split(java.io.File.pathSeparator)).anyMatch(f -> !f.isBlank() && Files.exists(Path.of(f)))
                : Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"));
        if (!found && System.getenv("KUBERNETES_SERVICE_HOST") == null) {
            throw new CliException(CliException.UNREACHABLE, "no kubeconfig: neither " + (kubeconfig != null && !kubeconfig.isBlank()
                    ? "KUBECONFIG (" + kubeconfig + ")" : "~/.kube/config") + " exists, and this is not a pod in a cluster");
        }
        Config config = config(context);
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(15_000);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public String namespace(String context) {
        String ns = config(context).getNamespace();
        return ns == null ? "default" : ns;
    }

    private Config read;

    /** The kubeconfig is read once per run (it is the slowest part of starting). */
    private Config config(String context) {
        if (read == null) {
            read = load(context);
        }
        return read;
    }

    private Config load(String context) {
        if (context == null) {
            return Config.autoConfigure(null);
        }
        Config config = Config.autoConfigure(context);
        if (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName())) {
            throw new CliException(CliException.USAGE, "context " + context + " not found in the kubeconfig");
        }
        return config;
    }
}
