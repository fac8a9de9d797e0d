package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.exact) != has(self.regex)", message = "a header match sets exactly one of exact or regex")
public class HeaderMatch {
    @Required
    @JsonPropertyDescription("HTTP header name, matched case-insensitively.")
    public String name;

    @JsonPropertyDescription("The header's value, exactly.")
    public String exact;

    @JsonPropertyDescription("A regular expression the header's value must match (the gateway's dialect; keep to RE2).")
    public String regex;

    public static HeaderMatch exact(String name, String value) {
        HeaderMatch m = new HeaderMatch();
        m.name = name;
        m.exact = value;
        return m;
    }

    public static HeaderMatch regex(String name, String pattern) {
        HeaderMatch m = new HeaderMatch();
        m.name = name;
        m.regex = pattern;
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderMatch m && Objects.equals(name, m.name) && Objects.equals(exact, m.exact)
                && Objects.equals(regex, m.regex);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, exact, regex);
    }

    public String describe() {
        return name + (exact != null ? "=" + exact : "~" + regex);
    }
}
