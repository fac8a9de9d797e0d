package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Database migration Jobs around a rollout: up before the new revision starts, down on revert, post after success. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationSpec {
    @Required
    @PreserveUnknownFields
    @SchemaFrom(type = JobPodTemplate.Unchecked.class)
    @JsonPropertyDescription("Pod template of the migration Job, run once per revision before the new revision starts or gets traffic. "
            + JobPodTemplate.CHECKED_BY_GLIDEPATH)
    public JobPodTemplate template;

    @Pattern(Durations.PATTERN)
    @ValidationRule(value = Durations.POSITIVE_RULE, message = "migration.timeout must be a positive duration")
    @ValidationRule(value = Durations.MAX_RULE, message = "migration.timeout " + Durations.MAX_MESSAGE)
    @JsonPropertyDescription("How long a migration Job may run (default 10m); then the rollout fails with MigrationFailed.")
    public String timeout;

    @Min(0)
    @JsonPropertyDescription("Retries of a failed migration pod (default 0: none).")
    public Integer backoffLimit;

    @PreserveUnknownFields
    @SchemaFrom(type = JobPodTemplate.Unchecked.class)
    @JsonPropertyDescription("Pod template of a down-migration Job, run after traffic is back on the stable revision when a migrated rollout is reverted, by analysis or by hand. Its failure raises an Event and a condition but never blocks restoring traffic. "
            + JobPodTemplate.CHECKED_BY_GLIDEPATH)
    public JobPodTemplate rollback;

    @PreserveUnknownFields
    @SchemaFrom(type = JobPodTemplate.Unchecked.class)
    @JsonPropertyDescription("Pod template of a contract step (expand/contract), run once the rollout succeeded, after any post-promotion window. "
            + JobPodTemplate.CHECKED_BY_GLIDEPATH)
    public JobPodTemplate post;
}
