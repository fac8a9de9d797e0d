package dev.glidepath.api;

import dev.glidepath.api.v1alpha1.Approval;
import dev.glidepath.api.v1alpha1.Freeze;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Generates the CRDs from the API classes into a directory. `make crds` writes them to crds/; a test
 * checks that the committed copy is what this generates. Printer columns keep the order in which the
 * API classes declare them (the generator alone sorts them by JSON path).
 */
public final class CrdGeneration {
    static final List<Class<? extends HasMetadata>> KINDS = List.of(Release.class, Rollout.class, Freeze.class, Approval.class);

    private CrdGeneration() {
    }

    public static void generate(Path dir) {
        new CRDGenerator()
                .inOutputDir(dir.toFile())
                .forCRDVersions("v1")
                .withPostProcessor(new InTurn(new DeclaredColumnOrder(), new IntegerBounds()))
                .customResourceClasses(KINDS.toArray(new Class[0]))
                .generate();
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "crds");
        dir.toFile().mkdirs();
        generate(dir);
        System.out.println("CRDs written to " + dir.toAbsolutePath());
        Arrays.stream(dir.toFile().listFiles()).map(File::getName).sorted().forEach(n -> System.out.println("  " + n));
    }

    /** The API class a generated CRD is for. */
    static Class<? extends HasMetadata> kind(CustomResourceDefinition crd) {
        String kind = crd.getSpec().getNames().getKind();
        return KINDS.stream().filter(k -> k.getSimpleName().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no API class for kind " + kind));
    }

    /** The generator keeps one post-processor: this one runs several in turn. */
    private record InTurn(CRDPostProcessor... steps) implements CRDPostProcessor {
        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            HasMetadata result = crd;
            for (CRDPostProcessor step : steps) {
                result = step.process(result, crdSpecVersion);
            }
            return result;
        }
    }

    private static final class DeclaredColumnOrder implements CRDPostProcessor {
        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            if (!(crd instanceof CustomResourceDefinition definition)) {
                return crd;
            }
            List<String> order = Arrays.stream(kind(definition).getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name).toList();
            Map<String, Integer> rank = new java.util.HashMap<>();
            for (int i = 0; i < order.size(); i++) {
                rank.put(order.get(i), i);
            }
            definition.getSpec().getVersions().forEach(v -> {
                if (v.getAdditionalPrinterColumns() != null) {
                    v.getAdditionalPrinterColumns().sort(Comparator.comparing(
                            (CustomResourceColumnDefinition c) -> rank.getOrDefault(c.getName(), Integer.MAX_VALUE)));
                }
            });
            return crd;
        }
    }
}
