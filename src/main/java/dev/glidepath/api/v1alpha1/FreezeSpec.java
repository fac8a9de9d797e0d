package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * What a freeze holds, why, and until when. Read tolerantly: a Freeze whose spec cannot be read is reported and
 * holds everything in its scope, while every other Freeze keeps working.
 */
@JsonDeserialize(using = TolerantDeserializer.FreezeSpecs.class)
public class FreezeSpec extends MaybeUnreadable {
    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("Why nothing ships (shown in each held Release's message and Events), e.g. 'incident INC-1234'.")
    public String reason;

    @io.fabric8.generator.annotation.Pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
    @JsonPropertyDescription("When the freeze ends by itself (RFC 3339, e.g. 2026-12-27T08:00:00Z); without it, it stands until deleted.")
    public String until;

    @JsonPropertyDescription("Only the Releases whose labels match (all of them in scope when absent).")
    public LabelSelector selector;

    @JsonPropertyDescription("When true, a Release's spec.windowOverride (a hotfix naming its revision and a reason) may start during this freeze.")
    public Boolean allowOverride;
}
