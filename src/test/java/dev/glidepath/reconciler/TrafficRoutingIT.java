package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.HeaderMatch;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Eventually;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.RequestLog;
import dev.glidepath.sandbox.SimulatedGateway;
import dev.glidepath.workload.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Canary and blue-green through a user's HTTPRoute: only weights change, reverts are one route update. */
class TrafficRoutingIT extends SandboxTest {
    private SimulatedGateway gateway;

    @BeforeEach
    void startGateway() {
        gateway = new SimulatedGateway(client, NS, null);
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    /** The user's route: their own rule to the stable Service, plus a rule to another app and annotations of theirs. */
    private HTTPRoute usersRoute() {
        HTTPRoute route = Releases.httpRoute(NS, "shop", "shop");
        HTTPRouteRule docs = new HTTPRouteRuleBuilder()
                .addNewMatch().withNewPath().withType("PathPrefix").withValue("/docs").endPath().endMatch()
                .addNewFilter().withType("RequestHeaderModifier").withNewRequestHeaderModifier()
                .addNewSet().withName("x-from").withValue("gateway").endSet().endRequestHeaderModifier().endFilter()
                .addNewBackendRef().withName("docs").withPort(8080).endBackendRef()
                .build();
        route.getSpec().getRules().add(docs);
        route.getMetadata().setAnnotations(Map.of("team", "payments"));
        return client.resource(route).create();
    }

    private HTTPRoute route(String name) {
        return client.resources(HTTPRoute.class).inNamespace(NS).withName(name).get();
    }

    /** Each split of the route's main rule, in order, as "stable weight/canary weight" (the canary's absent: "-"). */
    private List<String> splits() {
        return gateway.splits("shop").stream().map(s -> s.get("shop") + "/" + (s.containsKey("shop-canary") ? s.get("shop-canary") : "-"))
                .toList();
    }

    private static String invalidSpec(Release r) {
        return r.getStatus().conditions.stream().filter(c -> c.getType().equals("InvalidSpec") && "True".equals(c.getStatus()))
                .map(c -> c.getMessage()).findFirst().orElse(null);
    }

    @Test
    void aFivePercentCanaryOfThreeReplicasMovesOnlyTheRoutesWeightsAndLeavesEverythingElseAsItWas() {
        HTTPRoute original = usersRoute();
        create(Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 3, CanaryStep.weight(5), CanaryStep.pause("300ms"),
                CanaryStep.weight(25), CanaryStep.pause("300ms"), CanaryStep.weight(50), CanaryStep.pause(null)), "shop"));
        awaitPhase("shop", "Healthy");
        assertThat(service("shop-canary").getSpec().getSelector()).containsEntry(Labels.REVISION, "1");

        update("shop", "shop:2.0");
        awaitRelease("shop", "weight 5", r -> Objects.equals(r.getStatus().canaryWeight, 5));
        assertThat(gateway.weight("shop", "shop-canary")).isEqualTo(5);
        assertThat(gateway.weight("shop", "shop")).isEqualTo(95);
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 3, 2, 1));
        assertThat(service("shop").getSpec().getSelector()).containsEntry(Labels.REVISION, "1");
        assertThat(service("shop-canary").getSpec().getSelector()).containsEntry(Labels.REVISION, "2");
        assertThat(route("shop").getMetadata().getAnnotations()).containsKey("glidepath.dev/traffic").containsEntry("team", "payments");

        Release paused = awaitPhase("shop", "Paused");
        assertThat(paused.getStatus().canaryWeight).isEqualTo(50);
        assertThat(paused.getStatus().canaryService).isEqualTo("shop-canary");
        // The stable revision keeps its full size: an abort never waits for capacity.
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 3, 2, 2));
        assertThat(route("shop").getSpec().getRules().get(1)).isEqualTo(original.getSpec().getRules().get(1));

        edit("shop", r -> {
            r.getSpec().promote = new dev.glidepath.api.v1alpha1.PromoteCommand();
            r.getSpec().promote.id = "go";
            return r;
        });
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        Eventually.untilAsserted(() -> assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 0, 2, 3)));
        HTTPRoute after = route("shop");
        assertThat(Serialization.asJson(after.getSpec())).isEqualTo(Serialization.asJson(original.getSpec()));
        assertThat(after.getMetadata().getAnnotations()).isEqualTo(original.getMetadata().getAnnotations());
        // The user's route (no weight: 1), the canary added at 0 while its first pod starts, then each step; at the end
        // the stable backend is as its owner wrote it.
        assertThat(splits()).containsExactly("1/-", "100/0", "95/5", "75/25", "50/50", "1/-");
        assertThat(service("shop").getSpec().getSelector()).containsEntry(Labels.REVISION, "2");
    }

    @Test
    void anAbortMovesAllWeightBackInOneRouteUpdateBeforeAnyPodIsRemoved() {
        HTTPRoute original = usersRoute();
        create(Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 3, CanaryStep.weight(20), CanaryStep.pause(null)), "shop"));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2.0");
        awaitPhase("shop", "Paused");
        String canaryDeployment = deployments("shop").stream().filter(d -> "2".equals(d.getMetadata().getLabels().get(Labels.REVISION)))
                .findFirst().orElseThrow().getMetadata().getName();
        int mark = sandbox.requests().size();

        edit("shop", r -> {
            r.getSpec().abort = new dev.glidepath.api.v1alpha1.Command();
            r.getSpec().abort.id = "stop";
            return r;
        });
        awaitPhase("shop", "Degraded");
        Eventually.untilAsserted(() -> assertThat(replicasByRevision("shop")).containsEntry(2, 0));
        List<RequestLog.Entry> writes = sandbox.requests().since(mark).stream().filter(RequestLog.Entry::isWrite).toList();
        List<RequestLog.Entry> routeWrites = writes.stream().filter(e -> e.path().contains("/httproutes/shop")).toList();
        assertThat(routeWrites).singleElement().satisfies(e -> assertThat(e.method()).isEqualTo("PUT"));
        int routeWrite = writes.indexOf(routeWrites.get(0));
        int scaleDown = writes.stream().filter(e -> e.path().contains("/deployments/" + canaryDeployment)).findFirst()
                .map(writes::indexOf).orElseThrow();
        assertThat(routeWrite).isLessThan(scaleDown);
        assertThat(Serialization.asJson(route("shop").getSpec())).isEqualTo(Serialization.asJson(original.getSpec()));
    }

    @Test
    void aRestartBetweenStepsNeitherRepeatsNorRevisitsAWeight() {
        usersRoute();
        create(Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 4, CanaryStep.weight(10), CanaryStep.pause(null),
                CanaryStep.weight(30), CanaryStep.pause(null)), "shop"));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2.0");
        awaitPhase("shop", "Paused");
        restartOperator();
        edit("shop", r -> {
            r.getSpec().promote = new dev.glidepath.api.v1alpha1.PromoteCommand();
            r.getSpec().promote.id = "one";
            return r;
        });
        awaitRelease("shop", "weight 30", r -> Objects.equals(r.getStatus().canaryWeight, 30) && "Paused".equals(r.getStatus().phase));
        restartOperator();
        awaitRelease("shop", "still paused at 30 after a restart", r -> "Paused".equals(r.getStatus().phase)
                && Objects.equals(r.getStatus().canaryWeight, 30));
        assertThat(splits()).containsExactly("1/-", "100/0", "90/10", "70/30");
    }

    @Test
    void aConflictOnTheRouteIsRetriedOnFreshStateKeepingTheOwnersChange() {
        usersRoute();
        create(Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 2, CanaryStep.weight(50), CanaryStep.pause(null)), "shop"));
        awaitPhase("shop", "Healthy");
        // The owner changes the route (a new hostname) and the next route write meets a conflict.
        HTTPRoute changed = route("shop");
        changed.getSpec().getHostnames().add("www.shop.example.com");
        client.resource(changed).update();
        sandbox.dispatcher().failNext("PUT", "/httproutes/shop", 409);
        update("shop", "shop:2.0");
        awaitPhase("shop", "Paused");
        assertThat(sandbox.dispatcher().pendingFaults()).isZero();
        assertThat(gateway.weight("shop", "shop-canary")).isEqualTo(50);
        assertThat(route("shop").getSpec().getHostnames()).contains("www.shop.example.com");
    }

    @Test
    void aHeaderRouteComesFirstForTestersAndLeavesWithTheRollout() {
        HTTPRoute original = usersRoute();
        create(Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 3, CanaryStep.headerRoute(HeaderMatch.exact("x-canary", "yes"),
                HeaderMatch.regex("user-agent", ".*Tester.*")), CanaryStep.pause(null), CanaryStep.weight(10)), "shop"));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2.0");
        awaitPhase("shop", "Paused");
        HTTPRoute routed = route("shop");
        assertThat(routed.getSpec().getRules()).hasSize(3);
        HTTPRouteRule testers = routed.getSpec().getRules().get(0);
        assertThat(testers.getBackendRefs()).singleElement().satisfies(b -> assertThat(b.getName()).isEqualTo("shop-canary"));
        assertThat(testers.getMatches()).singleElement().satisfies(m -> {
            assertThat(m.getPath().getValue()).isEqualTo("/");
            assertThat(m.getHeaders()).extracting(h -> h.getType() + ":" + h.getName() + "=" + h.getValue())
                    .containsExactly("Exact:x-canary=yes", "RegularExpression:user-agent=.*Tester.*");
        });
        // Everyone else stays on the stable revision; one pod serves the testers.
        assertThat(gateway.weight("shop", "shop-canary")).isZero();
        assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 3, 2, 1));

        edit("shop", r -> {
            r.getSpec().abort = new dev.glidepath.api.v1alpha1.Command();
            r.getSpec().abort.id = "stop";
            return r;
        });
        awaitPhase("shop", "Degraded");
        Eventually.untilAsserted(() -> assertThat(Serialization.asJson(route("shop").getSpec()))
                .isEqualTo(Serialization.asJson(original.getSpec())));
    }

    @Test
    void blueGreenSwitchesWithOneRouteUpdateAndEndsOnTheStableService() {
        HTTPRoute original = usersRoute();
        Release bg = Releases.routed(Releases.blueGreen(NS, "shop", "shop:1.0", 2, "300ms"), "shop");
        bg.getSpec().strategy.blueGreen.previewService = null;
        create(bg);
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2.0");
        awaitRelease("shop", "revision 2 stable", r -> Integer.valueOf(2).equals(r.getStatus().stableRevision)
                && "Healthy".equals(r.getStatus().phase));
        Eventually.untilAsserted(() -> assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 0, 2, 2)));
        assertThat(splits()).containsExactly("1/-", "100/0", "0/100", "1/-");
        assertThat(Serialization.asJson(route("shop").getSpec())).isEqualTo(Serialization.asJson(original.getSpec()));
        assertThat(service("shop").getSpec().getSelector()).containsEntry(Labels.REVISION, "2");
    }

    @Test
    void routesThatCannotCarryTheSplitAreReportedByFieldAndNothingIsWritten() {
        create(Releases.routed(Releases.canary(NS, "missing", "shop:1.0", 2, CanaryStep.weight(50)), "nope"));
        Release missing = awaitRelease("missing", "InvalidSpec", r -> invalidSpec(r) != null);
        assertThat(invalidSpec(missing)).contains("spec.trafficRouting.gatewayAPI.httpRoutes[0]: HTTPRoute 'nope' not found");
        assertThat(deployments("missing")).isEmpty();

        client.resource(Releases.httpRoute(NS, "elsewhere", "another-service")).create();
        create(Releases.routed(Releases.canary(NS, "unrouted", "shop:1.0", 2, CanaryStep.weight(50)), "elsewhere"));
        Release unrouted = awaitRelease("unrouted", "InvalidSpec", r -> invalidSpec(r) != null);
        assertThat(invalidSpec(unrouted)).contains("httpRoutes[0]").contains("no rule with a backendRef to the stable Service 'unrouted'");

        create(Releases.routed(Releases.canary(NS, "foreign", "shop:1.0", 2, CanaryStep.weight(50)), "other/route"));
        Release foreign = awaitRelease("foreign", "InvalidSpec", r -> invalidSpec(r) != null);
        assertThat(invalidSpec(foreign)).contains("httpRoutes[0]").contains("another namespace");
        assertThat(sandbox.requests().count(e -> e.isWrite() && e.path().contains("/httproutes"))).isEqualTo(1);
    }

    @Test
    void aRouteInUseByAnotherReleaseIsRefused() {
        HTTPRoute taken = Releases.httpRoute(NS, "shop", "shop");
        taken.getMetadata().setAnnotations(Map.of("glidepath.dev/traffic", "{\"release\":\"cart\",\"stableWeights\":[null]}"));
        client.resource(taken).create();
        create(Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 2, CanaryStep.weight(50)), "shop"));
        Release r = awaitRelease("shop", "InvalidSpec", x -> invalidSpec(x) != null);
        assertThat(invalidSpec(r)).contains("httpRoutes[0]").contains("in use by the rollout of Release 'cart'");
    }

    @Test
    void withoutTheGatewayApiInstalledTheReleaseSaysSo() {
        sandbox.dispatcher().uninstall("gateway.networking.k8s.io");
        create(Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 2, CanaryStep.weight(50)), "shop"));
        Release r = awaitRelease("shop", "InvalidSpec", x -> invalidSpec(x) != null);
        assertThat(invalidSpec(r)).contains("spec.trafficRouting.gatewayAPI: the Gateway API is not installed");
        assertThat(deployments("shop")).isEmpty();
    }

    /** A paused canary at 20% (with a header route for testers, or not): the route as its owner wrote it. */
    private HTTPRoute pausedAtTwenty(boolean headerRoute) {
        HTTPRoute original = usersRoute();
        List<CanaryStep> steps = new java.util.ArrayList<>(List.of(CanaryStep.weight(20), CanaryStep.pause(null)));
        if (headerRoute) {
            steps.add(0, CanaryStep.headerRoute(HeaderMatch.exact("x-canary", "yes")));
        }
        create(Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 3, steps.toArray(CanaryStep[]::new)), "shop"));
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2.0");
        awaitPhase("shop", "Paused");
        assertThat(route("shop").getSpec().getRules()).hasSize(headerRoute ? 3 : 2);
        assertThat(gateway.weight("shop", "shop-canary")).isEqualTo(20);
        return original;
    }

    @Test
    void aReleaseDeletedMidRolloutGivesItsRouteBackBeforeItGoes() {
        HTTPRoute original = pausedAtTwenty(true);
        assertThat(get("shop").getMetadata().getFinalizers()).containsExactly("releases.glidepath.dev/finalizer");

        client.resources(Release.class).inNamespace(NS).withName("shop").delete();
        Eventually.untilAsserted(() -> assertThat(client.resources(Release.class).inNamespace(NS).withName("shop").get()).isNull());
        HTTPRoute after = route("shop");
        assertThat(Serialization.asJson(after.getSpec())).isEqualTo(Serialization.asJson(original.getSpec()));
        assertThat(after.getMetadata().getAnnotations()).isEqualTo(original.getMetadata().getAnnotations());
    }

    @Test
    void removingTrafficRoutingMidRolloutGivesTheRouteBackNeverRaisesTheCanarysShareAndRetiresItsService() {
        // (With a setHeaderRoute step, removing the routing alone is refused as InvalidSpec and nothing moves.)
        HTTPRoute original = pausedAtTwenty(false);
        try (CanaryShare share = new CanaryShare("shop", 2)) {
            edit("shop", r -> {
                r.getSpec().trafficRouting = null;
                return r;
            });
            Eventually.untilAsserted(() -> assertThat(Serialization.asJson(route("shop").getSpec()))
                    .isEqualTo(Serialization.asJson(original.getSpec())));
            assertThat(route("shop").getMetadata().getAnnotations()).isEqualTo(original.getMetadata().getAnnotations());
            Release r = awaitRelease("shop", "no canary Service", x -> x.getStatus().canaryService == null);
            assertThat(invalidSpec(r)).isNull();
            Eventually.untilAsserted(() -> assertThat(service("shop-canary")).as("the canary Service no route uses").isNull());
            // Three replicas at 20%: replica counts can carry at most 0 of 3 pods without raising the share.
            Eventually.untilAsserted(() -> assertThat(replicasByRevision("shop")).isEqualTo(Map.of(1, 3, 2, 0)));
            assertThat(service("shop").getSpec().getSelector()).doesNotContainKey(Labels.REVISION);
            assertThat(share.highest()).as("the canary's share of the stable Service's pods, at every change").isLessThanOrEqualTo(20.0);

            edit("shop", x -> {
                x.getSpec().promote = new dev.glidepath.api.v1alpha1.PromoteCommand();
                x.getSpec().promote.id = "go";
                return x;
            });
            awaitRelease("shop", "revision 2 stable", x -> Integer.valueOf(2).equals(x.getStatus().stableRevision)
                    && "Healthy".equals(x.getStatus().phase));
        }
    }

    /**
     * The share of the stable Service's available pods that run {@code canary}, sampled at every change of a Service
     * or Deployment of the namespace (an informer sees each write).
     */
    private final class CanaryShare implements AutoCloseable {
        private final SharedIndexInformer<Service> services;
        private final SharedIndexInformer<Deployment> deployments;
        private final String release;
        private final int canary;
        private volatile double highest;

        CanaryShare(String release, int canary) {
            this.release = release;
            this.canary = canary;
            ResourceEventHandler<HasMetadata> sample = new ResourceEventHandler<>() {
                @Override
                public void onAdd(HasMetadata o) {
                    sample();
                }

                @Override
                public void onUpdate(HasMetadata before, HasMetadata o) {
                    sample();
                }

                @Override
                public void onDelete(HasMetadata o, boolean unknown) {
                    sample();
                }
            };
            services = client.services().inNamespace(NS).inform(cast(sample));
            deployments = client.apps().deployments().inNamespace(NS).inform(cast(sample));
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static <T> ResourceEventHandler<T> cast(ResourceEventHandler handler) {
            return handler;
        }

        private synchronized void sample() {
            if (services == null || deployments == null) {
                return;
            }
            Service stable = services.getStore().getByKey(NS + "/" + release);
            if (stable == null) {
                return;
            }
            String pinned = stable.getSpec().getSelector().get(Labels.REVISION);
            int all = 0;
            int onCanary = 0;
            for (Deployment d : deployments.getStore().list()) {
                var labels = d.getMetadata().getLabels();
                if (labels == null || !release.equals(labels.get(Labels.RELEASE))) {
                    continue;
                }
                String revision = labels.get(Labels.REVISION);
                if (pinned != null && !pinned.equals(revision)) {
                    continue;
                }
                int available = d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
                all += available;
                onCanary += String.valueOf(canary).equals(revision) ? available : 0;
            }
            if (all > 0) {
                highest = Math.max(highest, 100.0 * onCanary / all);
            }
        }

        double highest() {
            return highest;
        }

        @Override
        public void close() {
            services.stop();
            deployments.stop();
        }
    }

    @Test
    void aRouteTakenOffTheListIsGivenBackWhileTheOthersCarryOn() {
        HTTPRoute original = usersRoute();
        client.resource(Releases.httpRoute(NS, "shop-internal", "shop")).create();
        HTTPRoute internal = route("shop-internal");
        Release shop = Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 3, CanaryStep.weight(20), CanaryStep.pause(null)), "shop");
        shop.getSpec().trafficRouting.gatewayAPI.httpRoutes = List.of("shop", "shop-internal");
        create(shop);
        awaitPhase("shop", "Healthy");
        update("shop", "shop:2.0");
        awaitPhase("shop", "Paused");
        assertThat(gateway.weight("shop", "shop-canary")).isEqualTo(20);
        assertThat(route("shop-internal").getMetadata().getAnnotations()).containsKey("glidepath.dev/traffic");

        edit("shop", r -> {
            r.getSpec().trafficRouting.gatewayAPI.httpRoutes = List.of("shop");
            return r;
        });
        Eventually.untilAsserted(() -> assertThat(Serialization.asJson(route("shop-internal").getSpec()))
                .isEqualTo(Serialization.asJson(internal.getSpec())));
        assertThat(route("shop-internal").getMetadata().getAnnotations()).isEqualTo(internal.getMetadata().getAnnotations());
        assertThat(gateway.weight("shop", "shop-canary")).isEqualTo(20);
        assertThat(route("shop").getSpec().getRules()).hasSize(original.getSpec().getRules().size());
    }

    @Test
    void aCanaryServiceNameTakenBySomeoneElseIsRefusedBeforeAnythingIsWritten() {
        usersRoute();
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("shop-canary").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "legacy")).addNewPort().withPort(80).endPort().endSpec().build()).create();
        create(Releases.routed(Releases.canary(NS, "shop", "shop:1.0", 2, CanaryStep.weight(50)), "shop"));
        Release r = awaitRelease("shop", "InvalidSpec", x -> invalidSpec(x) != null);
        assertThat(invalidSpec(r)).contains("spec.trafficRouting.canaryService: Service 'shop-canary' already exists");
        assertThat(client.services().inNamespace(NS).withName("shop").get()).isNull();
        assertThat(rollouts("shop")).isEmpty();
        assertThat(deployments("shop")).isEmpty();
        assertThat(client.services().inNamespace(NS).withName("shop-canary").get().getSpec().getSelector())
                .isEqualTo(Map.of("app", "legacy"));
    }

    @Test
    void aHandEditOfTheRoutesWeightsIsPutBackWithinSeconds() {
        pausedAtTwenty(false);
        HTTPRoute edited = route("shop");
        edited.getSpec().getRules().get(0).getBackendRefs().forEach(ref -> ref.setWeight(50));
        client.resource(edited).update();
        Eventually.untilAsserted(() -> assertThat(splits()).contains("50/50"));
        // Without a watch on the route, the next periodic look would come a minute later.
        Awaitility.await("the route's split put back").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(splits().get(splits().size() - 1)).isEqualTo("80/20"));
        assertThat(get("shop").getStatus().canaryWeight).isEqualTo(20);
    }
}
