package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {
    @Required
    @Pattern("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("Name of the stable Service (a DNS-1035 label).")
    public String name;

    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Ports of the stable Service (and of the preview Service), as in a Service.")
    public List<ServicePort> ports;
}
