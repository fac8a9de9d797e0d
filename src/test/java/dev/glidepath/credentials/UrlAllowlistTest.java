package dev.glidepath.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UrlAllowlistTest {
    static final UrlAllowlist LIST = UrlAllowlist.of(List.of("http://prometheus.monitoring:9090",
            "https://hooks.slack.com/services/", "https://*.hooks.example.com", "https://thanos.example.com/query"));

    @ParameterizedTest(name = "{0} admitted: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://prometheus.monitoring:9090                     | true
            http://prometheus.monitoring:9090/                    | true
            HTTP://Prometheus.Monitoring:9090                     | true
            http://prometheus.monitoring:9090/api/v1/query?q=up   | true
            http://prometheus.monitoring:9090.attacker.example    | false
            http://prometheus.monitoring:9090@attacker.example    | false
            http://prometheus.monitoring.attacker.example:9090    | false
            https://prometheus.monitoring:9090                    | false
            http://prometheus.monitoring                          | false
            http://prometheus.monitoring:9091                     | false
            http://10.0.0.1:9090                                  | false
            http://127.0.0.1:10250/pods                           | false
            http://prometheus.monitoring:9090/../admin            | false
            https://hooks.slack.com/services/T00/B00/XXX          | true
            https://hooks.slack.com/services                      | true
            https://hooks.slack.com:443/services/T00              | true
            https://hooks.slack.com/servicesX/T00                 | false
            https://hooks.slack.com/                              | false
            https://hooks.slack.com/services/../api/chat          | false
            https://hooks.slack.com/services/%2e%2e/api/chat      | false
            https://hooks.slack.com/services%2f..%2fapi           | false
            https://hooks.slack.com:8443/services/T00             | false
            http://hooks.slack.com/services/T00                   | false
            https://a.hooks.example.com/x                         | true
            https://a.b.hooks.example.com                         | true
            https://hooks.example.com                             | false
            https://ahooks.example.com                            | false
            https://a.hooks.example.com.attacker.example          | false
            https://thanos.example.com/query                      | true
            https://thanos.example.com/query/api/v1/query         | true
            https://thanos.example.com/queryx                     | false
            https://thanos.example.com/                           | false
            ftp://prometheus.monitoring:9090                      | false
            prometheus.monitoring:9090                            | false
            not a url                                             | false
            """)
    void aUrlIsComparedPartByPart(String url, boolean admitted) {
        assertThat(LIST.admits(url)).isEqualTo(admitted);
    }

    @Test
    void anEmptyListAdmitsEveryAddressAndBlankEntriesDoNotCount() {
        assertThat(UrlAllowlist.ANY.restricts()).isFalse();
        assertThat(UrlAllowlist.ANY.admits("http://10.0.0.1:9090")).isTrue();
        UrlAllowlist blank = UrlAllowlist.of(List.of("", " "));
        assertThat(blank.restricts()).isFalse();
        assertThat(blank.admits("http://anything")).isTrue();
        assertThat(LIST.admits(null)).isFalse();
    }

    @Test
    void aLeftOutPortIsTheSchemesDefault() {
        UrlAllowlist list = UrlAllowlist.of(List.of("https://prom.example.com", "http://plain.example.com:80"));
        assertThat(list.admits("https://prom.example.com:443/x")).isTrue();
        assertThat(list.admits("https://prom.example.com:9090/x")).isFalse();
        assertThat(list.admits("http://plain.example.com/x")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"prometheus.monitoring:9090", "ftp://files.example.com", "https://user@prom.example.com",
            "https://prom.example.com/?x=1", "https://prom.example.com/#a", "https://", "*.example.com"})
    void anEntryThatIsNotAUrlPrefixIsRefusedNamingIt(String entry) {
        assertThatThrownBy(() -> UrlAllowlist.of(List.of(entry))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + entry + "'");
    }

    @Test
    void itShowsItsEntries() {
        assertThat(UrlAllowlist.of(List.of(" http://a:1 ", "https://b")).toString()).isEqualTo("http://a:1, https://b");
        assertThat(UrlAllowlist.ANY.toString()).isEqualTo("any address");
    }
}
