package dev.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {

    @Test
    void valuesAreEscapedSoTheyStayInsideTheirLabelValue() {
        String q = QueryTemplate.render("up{a=\"{{release}}\",v=\"{{version}}\"}",
                Map.of("release", "shop", "version", "1\"} or vector(1) or {x=\"\\\n"));
        assertThat(q).isEqualTo("up{a=\"shop\",v=\"1\\\"} or vector(1) or {x=\\\"\\\\\\n\"}");
    }

    @Test
    void braceAndQuoteHeavyValuesRoundTripAsOneString() {
        String value = "{}\"'`\\\\\t";
        String q = QueryTemplate.render("x{v=\"{{version}}\"}", Map.of("version", value));
        // Everything between the first quote and the closing quote is one string literal.
        String literal = q.substring(q.indexOf('"') + 1, q.lastIndexOf('"'));
        assertThat(literal.replace("\\\\", "").replace("\\\"", "").replace("\\t", "")).doesNotContain("\"").doesNotContain("\\");
    }

    @Test
    void placeholdersOutsideDoubleQuotesAreRefused() {
        assertThat(QueryTemplate.problems("sum(rate(x[1m])) by ({{release}})"))
                .singleElement().asString().contains("{{release}}").contains("double-quoted");
        assertThat(QueryTemplate.problems("x{a='{{release}}'}")).hasSize(1);
        assertThat(QueryTemplate.problems("x{a=`{{release}}`}")).hasSize(1);
        assertThat(QueryTemplate.problems("x{a=\"{{ release }}\"}")).isEmpty();
    }

    @Test
    void unknownPlaceholdersAndEmptyQueriesAreRefused() {
        assertThat(QueryTemplate.problems("x{a=\"{{pod}}\"}")).singleElement().asString().contains("unknown placeholder {{pod}}");
        assertThat(QueryTemplate.problems(" ")).containsExactly("is empty");
        assertThat(QueryTemplate.problems(null)).containsExactly("is empty");
    }

    @Test
    void anEscapedQuoteBeforeAPlaceholderDoesNotEndTheString() {
        assertThat(QueryTemplate.problems("x{a=\"pre\\\"{{release}}\"}")).isEmpty();
        assertThat(QueryTemplate.problems("x{a=\"pre\\\\\"{{release}}\"}")).hasSize(1);
    }
}
