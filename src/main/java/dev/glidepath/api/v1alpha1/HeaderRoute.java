package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class HeaderRoute {
    public static final int MAX_MATCHES = 8;

    @Size(max = MAX_MATCHES)
    @JsonPropertyDescription("Header conditions, all of which a request must meet to go to the canary. Empty: remove the header route set by an earlier step.")
    public List<HeaderMatch> match;
}
