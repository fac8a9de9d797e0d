package dev.glidepath.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glidepath.sandbox.MovableClock;
import dev.glidepath.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secrets read by name, each read kept for the TTL on the injected clock; never a list or a watch. */
class SecretCacheTest {
    static final Duration TTL = Duration.ofSeconds(30);
    Sandbox sandbox;
    KubernetesClient client;
    final MovableClock clock = new MovableClock(Instant.parse("2030-01-01T00:00:00Z"));
    SecretCache cache;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start();
        client = sandbox.client();
        cache = new SecretCache(clock, TTL);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    void create(String namespace, String name, boolean labelled) {
        Secret s = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToData("token", "dG9rZW4=").build();
        if (labelled) {
            s.getMetadata().setLabels(Map.of(CredentialCheck.LABEL, "true"));
        }
        client.secrets().inNamespace(namespace).resource(s).create();
    }

    long reads(String namespace, String name) {
        return sandbox.requests().count(e -> e.method().equals("GET")
                && e.path().equals("/api/v1/namespaces/" + namespace + "/secrets/" + name));
    }

    long secretRequestsOtherThanGetByName() {
        return sandbox.requests().count(e -> e.path().contains("/secrets") && !(e.method().equals("GET")
                && e.path().matches(".*/secrets/[^/?]+$")));
    }

    boolean labelled(Secret s) {
        return s.getMetadata().getLabels() != null && "true".equals(s.getMetadata().getLabels().get(CredentialCheck.LABEL));
    }

    @Test
    void aSecretIsReadOncePerTtl() {
        create("apps", "prom", true);
        long creates = secretRequestsOtherThanGetByName();
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get(client, "apps", "prom")).isNotNull();
        }
        assertThat(reads("apps", "prom")).isEqualTo(1);
        clock.advance(TTL.minusMillis(1));
        cache.get(client, "apps", "prom");
        assertThat(reads("apps", "prom")).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        cache.get(client, "apps", "prom");
        assertThat(reads("apps", "prom")).isEqualTo(2);
        assertThat(secretRequestsOtherThanGetByName()).as("by name only: no list, no watch").isEqualTo(creates);
    }

    @Test
    void aLabelAddedToASecretIsSeenOnceTheTtlHasPassed() {
        create("apps", "prom", false);
        assertThat(labelled(cache.get(client, "apps", "prom"))).isFalse();
        client.secrets().inNamespace("apps").withName("prom").edit(s -> {
            s.getMetadata().setLabels(Map.of(CredentialCheck.LABEL, "true"));
            return s;
        });
        clock.advance(Duration.ofSeconds(10));
        assertThat(labelled(cache.get(client, "apps", "prom"))).as("still the read kept").isFalse();
        clock.advance(Duration.ofSeconds(20));
        assertThat(labelled(cache.get(client, "apps", "prom"))).isTrue();
    }

    @Test
    void aMissingSecretIsKeptAsMissingForTheTtl() {
        assertThat(cache.get(client, "apps", "later")).isNull();
        create("apps", "later", true);
        assertThat(cache.get(client, "apps", "later")).isNull();
        assertThat(reads("apps", "later")).isEqualTo(1);
        clock.advance(TTL);
        assertThat(cache.get(client, "apps", "later")).isNotNull();
    }

    @Test
    void aFailedReadIsNotKept() {
        create("apps", "prom", true);
        sandbox.dispatcher().failNext("GET", "/secrets/prom", 403);
        assertThatThrownBy(() -> cache.get(client, "apps", "prom")).isInstanceOf(KubernetesClientException.class);
        assertThat(cache.get(client, "apps", "prom")).isNotNull();
        assertThat(reads("apps", "prom")).isEqualTo(2);
    }

    @Test
    void readsAreKeptPerNamespaceAndName() {
        create("apps", "prom", true);
        create("shop", "prom", false);
        assertThat(labelled(cache.get(client, "apps", "prom"))).isTrue();
        assertThat(labelled(cache.get(client, "shop", "prom"))).isFalse();
        assertThat(labelled(cache.get(client, "apps", "prom"))).isTrue();
        assertThat(reads("apps", "prom")).isEqualTo(1);
        assertThat(reads("shop", "prom")).isEqualTo(1);
    }

    @Test
    void aClockThatGoesBackReadsAgain() {
        create("apps", "prom", true);
        cache.get(client, "apps", "prom");
        clock.advance(Duration.ofSeconds(-5));
        cache.get(client, "apps", "prom");
        assertThat(reads("apps", "prom")).isEqualTo(2);
    }

    @Test
    void withoutATtlEveryReadGoesToTheApiServer() {
        create("apps", "prom", true);
        SecretCache uncached = new SecretCache(clock, Duration.ZERO);
        uncached.get(client, "apps", "prom");
        uncached.get(client, "apps", "prom");
        assertThat(reads("apps", "prom")).isEqualTo(2);
    }
}
