package dev.glidepath.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.NotificationSpec;
import dev.glidepath.api.v1alpha1.PrometheusSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CredentialCheckTest {
    static final String HOOK_URL = "https://hooks.example.com/T0/secret-token";

    final Map<String, Secret> secrets = new HashMap<>();
    final List<String> reads = new ArrayList<>();
    final Function<String, Secret> byName = name -> {
        reads.add(name);
        return secrets.get(name);
    };

    static Secret secret(String name, boolean labelled, String key, String value) {
        SecretBuilder b = new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        if (labelled) {
            b.editMetadata().addToLabels(CredentialCheck.LABEL, "true").endMetadata();
        }
        return b.build();
    }

    static Release release(String prometheusSecret, String... webhookSecrets) {
        Release r = new Release();
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("shop").withNamespace("apps").build());
        r.setSpec(new ReleaseSpec());
        r.getSpec().analysis = new AnalysisSpec();
        r.getSpec().analysis.prometheus = new PrometheusSpec();
        r.getSpec().analysis.prometheus.address = "http://prometheus.monitoring:9090";
        r.getSpec().analysis.prometheus.secretName = prometheusSecret;
        List<NotificationSpec> targets = new ArrayList<>();
        for (String s : webhookSecrets) {
            NotificationSpec n = new NotificationSpec();
            n.name = "n-" + s;
            n.secretName = s;
            targets.add(n);
        }
        r.getSpec().notifications = targets;
        return r;
    }

    @Test
    void aLabelledSecretIsUsed() {
        secrets.put("prom", secret("prom", true, "token", "t0ken"));
        secrets.put("hook", secret("hook", true, "url", HOOK_URL + "\n"));
        Credentials c = new CredentialCheck(AddressPolicy.ANY).check(release("prom", "hook"), byName);
        assertThat(c.problems()).isEmpty();
        assertThat(c.usable()).isTrue();
        assertThat(c.prometheusAccess().bearerToken()).isEqualTo("t0ken");
        assertThat(c.webhook("hook").url()).isEqualTo(HOOK_URL);
    }

    @Test
    void aSecretWithoutTheLabelIsRefusedNamingTheFieldAndNothingOfItIsKept() {
        secrets.put("sa-token", secret("sa-token", false, "token", "service-account-token"));
        Secret falseLabel = secret("hook", false, "url", HOOK_URL);
        falseLabel.getMetadata().setLabels(Map.of(CredentialCheck.LABEL, "yes"));
        secrets.put("hook", falseLabel);
        Credentials c = new CredentialCheck(AddressPolicy.ANY).check(release("sa-token", "hook"), byName);
        assertThat(c.usable()).isFalse();
        assertThat(c.problems()).containsExactly(
                "spec.analysis.prometheus.secretName: Secret 'sa-token' is not labelled glidepath.dev/credentials=true;"
                        + " Glidepath uses a Secret only when its owner has labelled it so, and sent nothing",
                "spec.notifications[0].secretName: Secret 'hook' is not labelled glidepath.dev/credentials=true;"
                        + " Glidepath uses a Secret only when its owner has labelled it so, and sent nothing");
        assertThat(c.prometheus().bearerToken()).isNull();
        assertThat(c.webhook("hook").url()).isNull();
    }

    @Test
    void anAddressOutsideTheAllowlistsIsRefusedNamingTheFieldWithoutShowingTheWebhookUrl() {
        secrets.put("hook", secret("hook", true, "url", HOOK_URL));
        AddressPolicy policy = new AddressPolicy(UrlAllowlist.of(List.of("http://thanos.monitoring:9090")),
                UrlAllowlist.of(List.of("https://hooks.slack.com/services")));
        Release r = release(null, "hook");
        Credentials c = new CredentialCheck(policy).check(r, byName);
        assertThat(c.problems()).hasSize(2);
        assertThat(c.problems().get(0)).startsWith("spec.analysis.prometheus.address: 'http://prometheus.monitoring:9090'"
                + " is outside the Prometheus addresses this operator allows").contains("http://thanos.monitoring:9090");
        assertThat(c.problems().get(1)).startsWith("spec.notifications[0].secretName: the url in Secret 'hook' is outside"
                + " the webhook addresses this operator allows").contains("https://hooks.slack.com/services")
                .doesNotContain("hooks.example.com").doesNotContain("secret-token");
        assertThat(c.webhook("hook").url()).isNull();

        r.getSpec().analysis.prometheus.address = "http://thanos.monitoring:9090/";
        secrets.put("hook", secret("hook", true, "url", "https://hooks.slack.com/services/T0/B0/x"));
        assertThat(new CredentialCheck(policy).check(r, byName).problems()).isEmpty();
    }

    @Test
    void aMissingOrUnreadableSecretIsNotASpecProblemItsUseFailsAsBefore() {
        Credentials missing = new CredentialCheck(AddressPolicy.ANY).check(release("absent", "gone"), byName);
        assertThat(missing.problems()).isEmpty();
        assertThatThrownBy(missing::prometheusAccess).hasMessageContaining("spec.analysis.prometheus.secretName")
                .hasMessageContaining("not found");
        assertThat(missing.webhook("gone").failure()).isEqualTo("Secret gone with the key url not found");

        Credentials unreadable = new CredentialCheck(AddressPolicy.ANY).check(release("prom"), name -> {
            throw new KubernetesClientException("Forbidden");
        });
        assertThat(unreadable.problems()).isEmpty();
        assertThatThrownBy(unreadable::prometheusAccess).hasMessageContaining("cannot read Secret prom");
    }

    @Test
    void eachSecretIsReadOnceByNameAndNothingWhenNoneIsNamed() {
        secrets.put("shared", secret("shared", true, "url", HOOK_URL));
        new CredentialCheck(AddressPolicy.ANY).check(release("shared", "shared", "shared"), byName);
        assertThat(reads).containsExactly("shared");
        reads.clear();
        Release none = release(null);
        none.getSpec().analysis = null;
        assertThat(new CredentialCheck(AddressPolicy.ANY).check(none, byName)).isEqualTo(new Credentials(
                PrometheusAccess.NONE, null, Map.of(), List.of()));
        assertThat(reads).isEmpty();
    }
}
