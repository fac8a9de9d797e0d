package dev.glidepath.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the kubectl on the PATH against the sandbox (a fresh discovery cache each time); empty when there is none. */
final class Kubectl {
    private Kubectl() {
    }

    static Optional<String> run(KubernetesClient sandbox, List<String> args) {
        try {
            Path cache = Files.createTempDirectory("kubectl-cache");
            List<String> command = new ArrayList<>(List.of("kubectl", "--server=" + sandbox.getMasterUrl().toString().replaceAll("/$", ""),
                    "--cache-dir=" + cache, "--request-timeout=5s"));
            command.addAll(args);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
