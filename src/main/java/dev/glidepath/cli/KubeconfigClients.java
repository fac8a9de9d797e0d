package dev.glidepath.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Clients from the kubeconfig: {@code --kubeconfig FILE}, else KUBECONFIG or ~/.kube/config (or the pod's service
 * account), its current context unless {@code --context}.
 */
final class KubeconfigClients implements Cli.Clients {
    /** Enough for a cluster far away; a dead address is reported while the person is still looking at the terminal. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Per request; a watch streams and has none. {@code --request-timeout} changes it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, String> environment;
    private final Path home;
    /** {@code --kubeconfig}, or null for KUBECONFIG / ~/.kube/config. */
    private final Path file;
    private final Duration requestTimeout;
    private Config read;

    KubeconfigClients(Map<String, String> environment, Path home, Path file, Duration requestTimeout) {
        this.environment = environment;
        this.home = home;
        this.file = file;
        this.requestTimeout = requestTimeout;
    }

    static Cli.Clients fromEnvironment() {
        return new KubeconfigClients(System.getenv(), Path.of(System.getProperty("user.home")), null, REQUEST_TIMEOUT);
    }

    @Override
    public Cli.Clients configured(Path kubeconfig, Duration timeout) {
        return new KubeconfigClients(environment, home, kubeconfig != null ? kubeconfig : file, timeout != null ? timeout : requestTimeout);
    }

    @Override
    public KubernetesClient client(String context) {
        Config config = config(context);
        // One attempt: a person waits for the answer, and a retry would double the wait on a dead address.
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
        config.setRequestTimeout((int) requestTimeout.toMillis());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public String namespace(String context) {
        String ns = config(context).getNamespace();
        return ns == null ? "default" : ns;
    }

    /** The kubeconfig is read once per run (it is the slowest part of starting). */
    private Config config(String context) {
        if (read == null) {
            read = load(context);
        }
        return read;
    }

    private Config load(String context) {
        Config config;
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new CliException(CliException.USAGE, "--kubeconfig: " + file + " does not exist or is not a file");
            }
            try {
                config = Config.fromKubeconfig(context, file.toFile());
            } catch (KubernetesClientException | IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, "--kubeconfig: " + file + " cannot be read as a kubeconfig: " + e.getMessage());
            }
        } else {
            requireKubeconfig();
            config = Config.autoConfigure(context);
        }
        if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
            throw new CliException(CliException.USAGE, "--context: context " + context + " not found in the kubeconfig"
                    + (file != null ? " " + file : ""));
        }
        return config;
    }

    /** Without --kubeconfig: KUBECONFIG's files, else ~/.kube/config, else the pod's service account must be there. */
    private void requireKubeconfig() {
        if (environment.get("KUBERNETES_SERVICE_HOST") != null) {
            return;
        }
        String variable = environment.get("KUBECONFIG");
        if (variable == null || variable.isBlank()) {
            if (!Files.exists(home.resolve(".kube").resolve("config"))) {
                throw new CliException(CliException.UNREACHABLE, "no kubeconfig: ~/.kube/config does not exist, KUBECONFIG is not set, "
                        + "and this is not running in a pod; pass --kubeconfig FILE");
            }
            return;
        }
        List<String> files = Arrays.stream(variable.split(File.pathSeparator)).filter(f -> !f.isBlank()).toList();
        if (files.stream().noneMatch(f -> Files.exists(Path.of(f)))) {
            throw new CliException(CliException.UNREACHABLE, "no kubeconfig: KUBECONFIG is set to " + variable + ", "
                    + (files.size() == 1 ? "which does not exist" : "and none of those files exists")
                    + ", and this is not running in a pod; pass --kubeconfig FILE");
        }
    }
}
