package dev.glidepath.install;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading rendered manifests. */
final class Chart {
    private Chart() {
    }

    /** The objects of a multi-document YAML stream. */
    static List<HasMetadata> objects(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.replaceAll("(?m)^#.*$", "").isBlank()) {
                continue;
            }
            Object o = Serialization.unmarshal(doc);
            if (o instanceof KubernetesList list) {
                out.addAll(list.getItems());
            } else if (o instanceof HasMetadata h) {
                out.add(h);
            } else if (o instanceof List<?> l) {
                l.stream().filter(HasMetadata.class::isInstance).map(HasMetadata.class::cast).forEach(out::add);
            }
        }
        return out;
    }

    static Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValue());
        }
        return env;
    }
}
