package dev.glidepath.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One person's approval of one revision of a Release, for one role. Its approver is the identity the API server
 * authenticated when it was created (the admission policy glidepath-approval-identity admits it only then, and
 * refuses any later change of its spec); whether that person may approve for the role is Kubernetes RBAC
 * (verb approve on releases/ROLE), checked by the operator with a SubjectAccessReview.
 */
@Group(Release.GROUP)
@Version(Release.VERSION)
@ShortNames({"gpapproval", "gpa"})
@AdditionalPrinterColumn(name = "RELEASE", jsonPath = ".spec.release", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "REVISION", jsonPath = ".spec.revision", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "ROLE", jsonPath = ".spec.role", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "APPROVER", jsonPath = ".spec.approver.username", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "COUNTED", jsonPath = ".status.counted", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "MESSAGE", jsonPath = ".status.message", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class Approval extends CustomResource<Signoff, ApprovalStatus> implements Namespaced {
}
