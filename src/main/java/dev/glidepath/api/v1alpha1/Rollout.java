package dev.glidepath.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One transition of a Release from one revision to another: the Release's history. Created by Glidepath. */
@Group(Release.GROUP)
@Version(Release.VERSION)
@ShortNames({"grol", "gprollout"})
@AdditionalPrinterColumn(name = "RELEASE", jsonPath = ".spec.release", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "TYPE", jsonPath = ".spec.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "REASON", jsonPath = ".spec.reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "FROM", jsonPath = ".spec.fromRevision", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "TO", jsonPath = ".spec.toRevision", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "WEIGHT", jsonPath = ".status.weight", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "STARTED", jsonPath = ".status.startedAt", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "OUTCOME", jsonPath = ".status.outcome", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "MESSAGE", jsonPath = ".status.message", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class Rollout extends CustomResource<RolloutSpec, RolloutStatus> implements Namespaced {
}
