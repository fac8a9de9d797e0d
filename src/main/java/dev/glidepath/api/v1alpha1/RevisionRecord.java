package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionRecord {
    @JsonPropertyDescription("Revision number (1, 2, 3 ...).")
    public Integer number;

    @JsonPropertyDescription("Hash of the pod template; part of the Deployment name.")
    public String templateHash;

    @JsonPropertyDescription("Version label of the revision.")
    public String version;

    @JsonPropertyDescription("Container images of the revision.")
    public List<String> images;

    @JsonPropertyDescription("When the revision was first seen.")
    public String created;

    @JsonPropertyDescription("Stable, Progressing, Superseded, Succeeded, Failed, Aborted or RolledBack.")
    public String outcome;

    @JsonPropertyDescription("Its migration: Succeeded, Failed, RolledBack (down-migration ran) or RollbackFailed.")
    public String migration;

    @JsonPropertyDescription("Why the revision ended as it did.")
    public String reason;
}
