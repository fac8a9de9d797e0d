package dev.glidepath.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A freeze: while it stands, no new rollout starts in the Releases it covers (those of its namespace, or of
 * every namespace when it is in the operator's own), and a rollout in flight holds after its current step.
 * Rollbacks and aborts never wait. Deleting it, or its end time passing, lets them go.
 */
@Group(Release.GROUP)
@Version(Release.VERSION)
@ShortNames({"gpfreeze"})
@AdditionalPrinterColumn(name = "REASON", jsonPath = ".spec.reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "UNTIL", jsonPath = ".spec.until", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "OVERRIDE", jsonPath = ".spec.allowOverride", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Freeze extends CustomResource<FreezeSpec, Void> implements Namespaced {
}
