package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Promotion between environments: a new revision starts only once it proved itself upstream. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromotionSpec {
    @Required
    @Size(min = 1, max = 8)
    @JsonPropertyDescription("Upstream Releases (e.g. staging) that must run the same images, Healthy with their rollout finished, for at least soak before a new revision starts here.")
    public List<Upstream> from;

    @JsonPropertyDescription("Hotfix: the named revision may start without waiting for the soak (it still needs the images Healthy upstream); a Warning Event records it.")
    public WindowOverride skipSoak;

    /** One upstream Release. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Upstream {
        @Size(max = 63)
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        @JsonPropertyDescription("The cluster it runs in, by the name the operator is configured with (glidepath.upstream-clusters); default: this cluster. A name that is not configured is refused.")
        public String cluster;

        @JsonPropertyDescription("Its namespace (default: this Release's).")
        public String namespace;

        @Required
        @JsonPropertyDescription("Its name.")
        public String release;

        @Pattern(Durations.PATTERN)
        @ValidationRule(value = Durations.MAX_RULE, message = "soak " + Durations.MAX_MESSAGE)
        @JsonPropertyDescription("How long it must have run the images Healthy (default 0s), e.g. 1h.")
        public String soak;

        @JsonPropertyDescription("Stronger evidence: the upstream Rollout that made the images stable must have passed its analysis with no Fail or Inconclusive verdict, judging at least minRequests requests.")
        public AnalysisRequirement requireAnalysis;
    }

    /** What the upstream's analysis of the same images must show. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class AnalysisRequirement {
        @Required
        @Min(1)
        @Max(1000000000)
        @JsonPropertyDescription("Requests its judged metrics must each have judged (the fewest of them counts).")
        public Long minRequests;
    }
}
