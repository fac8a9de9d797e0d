package dev.glidepath.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An application released progressively: each new pod template becomes a revision rolled out safely. */
@Group(Release.GROUP)
@Version(Release.VERSION)
@ShortNames({"rel", "gprel"})
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".status.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "STRATEGY", jsonPath = ".status.strategy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "TYPE", jsonPath = ".status.deploymentType", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "WEIGHT", jsonPath = ".status.canaryWeight", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "STABLE", jsonPath = ".status.stableRevision", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "FROZEN-BY", jsonPath = ".status.frozenBy", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@ValidationRule(value = "self.metadata.name.size() <= 63",
        message = "metadata.name: at most 63 characters (it is the value of the glidepath.dev/release label on everything the Release owns)")
public class Release extends CustomResource<ReleaseSpec, ReleaseStatus> implements Namespaced {
    public static final String GROUP = "glidepath.dev";
    public static final String VERSION = "v1alpha1";
    /** The label on every object a Release owns, its pods included: its value is the Release's name. */
    public static final String LABEL = "glidepath.dev/release";
    /** The operator instance (shard) a Release belongs to; without it, the default instance's. */
    public static final String SHARD_LABEL = "glidepath.dev/shard";
}
