package dev.glidepath.install;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The plain manifests under deploy/ are the chart rendered with its default values into the namespace
 * glidepath-system. `make manifests` writes them; a test checks they are current.
 */
public final class Manifests {
    static final String NAMESPACE = "glidepath-system";

    private Manifests() {
    }

    static String render() {
        String rendered = new Helm(HelmChartTest.CHART).template().withName("glidepath").withNamespace(NAMESPACE)
                .skipCrds().call();
        return "# Generated from helm/glidepath with its default values by `make manifests`; do not edit.\n"
                + "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + NAMESPACE + "\n"
                + rendered.replaceAll("(?m)^# Source: .*\\n", "");
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of("deploy", "glidepath.yaml"), render());
        System.out.println("deploy/glidepath.yaml written");
    }
}
