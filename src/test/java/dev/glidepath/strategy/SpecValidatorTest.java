package dev.glidepath.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.AnalysisSpec;
import dev.glidepath.api.v1alpha1.BlueGreenStrategy;
import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.HeaderMatch;
import dev.glidepath.api.v1alpha1.JobPodTemplate;
import dev.glidepath.api.v1alpha1.JudgeSpec;
import dev.glidepath.api.v1alpha1.MetricConventions;
import dev.glidepath.api.v1alpha1.MetricSpec;
import dev.glidepath.api.v1alpha1.MigrationSpec;
import dev.glidepath.api.v1alpha1.Pause;
import dev.glidepath.api.v1alpha1.PrometheusSpec;
import dev.glidepath.api.v1alpha1.PromotionSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseSpec;
import dev.glidepath.api.v1alpha1.VerifySpec;
import dev.glidepath.sandbox.Analyses;
import dev.glidepath.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Spec validation, and what the planner does with a spec it cannot act on. */
class SpecValidatorTest {

    private static ReleaseSpec canary() {
        return Specs.canary(3, CanaryStep.weight(25), CanaryStep.pause("1m"), CanaryStep.pause(null));
    }

    private static ReleaseSpec blueGreen() {
        ReleaseSpec spec = Specs.blueGreen(3);
        spec.strategy.blueGreen.promoteAfter = "1m";
        spec.strategy.blueGreen.scaleDownDelay = "30s";
        return spec;
    }

    private static Arguments invalid(String field, String fragment, ReleaseSpec base, Consumer<ReleaseSpec> breakIt) {
        breakIt.accept(base);
        return Arguments.of(field, fragment, base);
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                invalid("spec.template", "pod template", canary(), s -> s.template = null),
                invalid("spec.template", "pod template", canary(), s -> s.template = new PodTemplateSpec()),
                invalid("spec.template.spec.containers", "at least one container", canary(),
                        s -> s.template = new PodTemplateSpecBuilder().withNewSpec().endSpec().build()),
                invalid("spec.template.spec.containers[1].image", "required", canary(),
                        s -> s.template.getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
                                .withName("sidecar").withImage(" ").build())),
                invalid("spec.replicas", "got -1", canary(), s -> s.replicas = -1),
                invalid("spec.replicas", "at most 10000, got 10001", canary(), s -> s.replicas = 10001),
                invalid("spec.revisionHistoryLimit", "got -2", canary(), s -> s.revisionHistoryLimit = -2),
                invalid("spec.service.name", "required", canary(), s -> s.service = null),
                invalid("spec.service.name", "required", canary(), s -> s.service.name = " "),
                invalid("spec.service.name", "DNS-1035", canary(), s -> s.service.name = "Shop_1"),
                invalid("spec.service.ports", "at least one port", canary(), s -> s.service.ports = List.of()),
                invalid("spec.service.ports", "at least one port", canary(), s -> s.service.ports = null),
                invalid("spec.progressDeadline", "not a duration", canary(), s -> s.progressDeadline = "ten minutes"),
                invalid("spec.progressDeadline", "positive duration", canary(), s -> s.progressDeadline = "0s"),
                invalid("spec.strategy", "exactly one of blueGreen or canary", canary(), s -> s.strategy = null),
                invalid("spec.strategy", "exactly one of blueGreen or canary", canary(),
                        s -> s.strategy.blueGreen = new BlueGreenStrategy()),
                invalid("spec.strategy", "exactly one of blueGreen or canary", canary(), s -> s.strategy.canary = null),
                invalid("spec.strategy.blueGreen.promoteAfter", "not a duration", blueGreen(),
                        s -> s.strategy.blueGreen.promoteAfter = "-1m"),
                invalid("spec.strategy.blueGreen.scaleDownDelay", "positive duration", blueGreen(),
                        s -> s.strategy.blueGreen.scaleDownDelay = "0ms"),
                invalid("spec.strategy.blueGreen.previewService", "must differ", blueGreen(),
                        s -> s.strategy.blueGreen.previewService = "shop"),
                invalid("spec.strategy.blueGreen.previewService", "DNS-1035", blueGreen(),
                        s -> s.strategy.blueGreen.previewService = "-preview"),
                invalid("spec.strategy.canary.steps", "at least one step", canary(), s -> s.strategy.canary.steps = List.of()),
                invalid("spec.strategy.canary.steps", "at least one step", canary(), s -> s.strategy.canary.steps = null),
                invalid("spec.strategy.canary.steps[1]", "exactly one of setWeight, pause, verify or setHeaderRoute", canary(),
                        s -> s.strategy.canary.steps.set(1, new CanaryStep())),
                invalid("spec.strategy.canary.steps[0]", "exactly one of setWeight, pause, verify or setHeaderRoute", canary(),
                        s -> s.strategy.canary.steps.get(0).pause = new Pause()),
                invalid("spec.strategy.canary.steps[2]", "exactly one of setWeight, pause, verify or setHeaderRoute", canary(),
                        s -> s.strategy.canary.steps.set(2, null)),
                invalid("spec.strategy.canary.steps[0].setWeight", "between 0 and 100, got 101", canary(),
                        s -> s.strategy.canary.steps.get(0).setWeight = 101),
                invalid("spec.strategy.canary.steps[0].setWeight", "between 0 and 100, got -5", canary(),
                        s -> s.strategy.canary.steps.get(0).setWeight = -5),
                invalid("spec.strategy.canary.steps[1].pause.duration", "not a duration", canary(),
                        s -> s.strategy.canary.steps.get(1).pause.duration = "1d"),
                invalid("spec.strategy.canary.steps[1].pause.duration", "positive duration", canary(),
                        s -> s.strategy.canary.steps.get(1).pause.duration = "0m"),
                invalid("spec.strategy.canary.steps[1].pause.duration", "longer than 8760h", canary(),
                        s -> s.strategy.canary.steps.get(1).pause.duration = "8761h"),
                invalid("spec.progressDeadline", "longer than 8760h", canary(),
                        s -> s.progressDeadline = "99999999999999999999h"),
                invalid("spec.promotion.from[0].soak", "longer than 8760h", canary(), s -> {
                    s.promotion = new PromotionSpec();
                    var up = new PromotionSpec.Upstream();
                    up.release = "staging";
                    up.soak = "99999999999999999999h";
                    s.promotion.from = List.of(up);
                }),
                invalid("spec.promotion.from[0].cluster", "'Staging_1' is not a cluster name", canary(), s -> {
                    s.promotion = new PromotionSpec();
                    var up = new PromotionSpec.Upstream();
                    up.cluster = "Staging_1";
                    up.release = "staging";
                    s.promotion.from = List.of(up);
                }),
                invalid("spec.promotion.from[0].requireAnalysis.minRequests", "1 or more", canary(), s -> {
                    s.promotion = new PromotionSpec();
                    var up = new PromotionSpec.Upstream();
                    up.release = "staging";
                    up.requireAnalysis = new PromotionSpec.AnalysisRequirement();
                    up.requireAnalysis.minRequests = 0L;
                    s.promotion.from = List.of(up);
                }),
                invalid("spec.strategy.canary.steps[1].setHeaderRoute", "needs spec.trafficRouting", canary(),
                        s -> s.strategy.canary.steps.set(1, CanaryStep.headerRoute(HeaderMatch.exact("x-canary", "yes")))),
                invalid("spec.trafficRouting.gatewayAPI.httpRoutes", "at least one HTTPRoute", Specs.routed(canary()),
                        s -> s.trafficRouting.gatewayAPI.httpRoutes = List.of()),
                invalid("spec.trafficRouting.gatewayAPI.httpRoutes[0]", "another namespace", Specs.routed(canary()),
                        s -> s.trafficRouting.gatewayAPI.httpRoutes = List.of("gateways/shop")),
                invalid("spec.trafficRouting.gatewayAPI.httpRoutes[1]", "named twice", Specs.routed(canary()),
                        s -> s.trafficRouting.gatewayAPI.httpRoutes = List.of("shop", "shop")),
                invalid("spec.trafficRouting.gatewayAPI.httpRoutes[0]", "DNS-1123", Specs.routed(canary()),
                        s -> s.trafficRouting.gatewayAPI.httpRoutes = List.of("Shop_Route")),
                invalid("spec.trafficRouting.canaryService (default " + "s".repeat(60) + "-canary)", "set spec.trafficRouting.canaryService",
                        Specs.routed(canary()), s -> s.service.name = "s".repeat(60)),
                invalid("spec.trafficRouting.canaryService", "must differ from spec.service.name", Specs.routed(canary()),
                        s -> s.trafficRouting.canaryService = "shop"),
                invalid("spec.strategy.canary.steps[1].setHeaderRoute.match[0].regex", "not a regular expression", Specs.routed(canary()),
                        s -> s.strategy.canary.steps.set(1, CanaryStep.headerRoute(HeaderMatch.regex("user-agent", "(unclosed")))),
                invalid("spec.strategy.canary.steps[1].setHeaderRoute.match[1].name", "matched twice", Specs.routed(canary()),
                        s -> s.strategy.canary.steps.set(1, CanaryStep.headerRoute(HeaderMatch.exact("X-Canary", "a"),
                                HeaderMatch.exact("x-canary", "b")))),
                invalid("spec.strategy.canary.steps[1].setHeaderRoute.match[0].name", "not an HTTP header name", Specs.routed(canary()),
                        s -> s.strategy.canary.steps.set(1, CanaryStep.headerRoute(HeaderMatch.exact("x canary", "a")))),
                invalid("spec.strategy.canary.steps[1].setHeaderRoute.match[0]", "exactly one of exact or regex", Specs.routed(canary()),
                        s -> {
                            HeaderMatch both = HeaderMatch.exact("x-canary", "a");
                            both.regex = "a.*";
                            s.strategy.canary.steps.set(1, CanaryStep.headerRoute(both));
                        }),
                invalid("spec.promote.id", "non-empty", canary(), s -> s.promote = Specs.promote("")),
                invalid("spec.abort.id", "non-empty", canary(), s -> s.abort = Specs.command(null)),
                invalid("spec.retry.id", "non-empty", canary(), s -> s.retry = Specs.command("  ")),
                invalid("spec.rollback.id", "non-empty", canary(), s -> s.rollback = Specs.rollback("", 1)),
                invalid("spec.rollback.revision", "1 or more", canary(), s -> s.rollback = Specs.rollback("rb", 0)),
                invalid("spec.rollback.revision", "1 or more", canary(), s -> s.rollback = Specs.rollback("rb", null)),
                // What the API server would refuse in the objects Glidepath writes, found before writing them.
                invalid("spec.template.metadata.labels['app']", "not a valid label value", canary(),
                        s -> s.template.getMetadata().getLabels().put("app", "bad value!")),
                invalid("spec.template.metadata.labels['tier']", "not a valid label value", canary(),
                        s -> s.template.getMetadata().getLabels().put("tier", "x".repeat(64))),
                invalid("spec.template.metadata.labels", "key 'bad key/x/y'", canary(),
                        s -> s.template.getMetadata().getLabels().put("bad key/x/y", "v")),
                invalid("spec.template.metadata.annotations", "key 'Example.COM/a'", canary(),
                        s -> s.template.getMetadata().setAnnotations(Map.of("Example.COM/a", "v"))),
                invalid("spec.service.ports[0].port", "between 1 and 65535, got 0", canary(),
                        s -> s.service.ports = List.of(port("http", 0))),
                invalid("spec.service.ports[0].port", "between 1 and 65535, got 70000", canary(),
                        s -> s.service.ports = List.of(port("http", 70000))),
                invalid("spec.service.ports[0].port", "between 1 and 65535, got null", canary(),
                        s -> s.service.ports = List.of(port("http", null))),
                invalid("spec.service.ports[1].port", "80/TCP is used by another port", canary(),
                        s -> s.service.ports = List.of(port("http", 80), port("web", 80))),
                invalid("spec.service.ports[1].name", "'http' is used by another port", canary(),
                        s -> s.service.ports = List.of(port("http", 80), port("http", 81))),
                invalid("spec.service.ports[1].name", "required when the Service has more than one port", canary(),
                        s -> s.service.ports = List.of(port("http", 80), port(null, 81))),
                invalid("spec.service.ports[0].targetPort", "between 1 and 65535, got 0", canary(),
                        s -> s.service.ports = List.of(new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName("http")
                                .withPort(80).withNewTargetPort(0).build())),
                invalid("spec.service.ports[0].protocol", "TCP, UDP or SCTP", canary(),
                        s -> s.service.ports = List.of(new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName("http")
                                .withPort(80).withProtocol("HTTP").build())),
                invalid("spec.template.spec.containers[0].ports[0].containerPort", "between 1 and 65535, got 70000", canary(),
                        s -> s.template.getSpec().getContainers().get(0).getPorts().get(0).setContainerPort(70000)),
                invalid("spec.template.spec.containers[0].name", "required", canary(),
                        s -> s.template.getSpec().getContainers().get(0).setName(null)),
                invalid("spec.migration.template", "pod template is required", withMigration(), s -> s.migration.template = null),
                invalid("spec.migration.template", "pod template with a spec", withMigration(),
                        s -> s.migration.template = jobTemplate("{}")),
                invalid("spec.migration.template.spec.containers", "at least one container", withMigration(),
                        s -> s.migration.template = jobTemplate("{\"spec\": {\"containers\": []}}")),
                invalid("spec.migration.template.spec.containers[0].name", "required", withMigration(),
                        s -> s.migration.template = jobTemplate("{\"spec\": {\"containers\": [{\"image\": \"m:1\"}]}}")),
                invalid("spec.migration.rollback.spec.containers[0].image", "required", withMigration(),
                        s -> s.migration.rollback = jobTemplate("{\"spec\": {\"containers\": [{\"name\": \"down\"}]}}")),
                invalid("spec.migration.post.spec.initContainers[0].image", "required", withMigration(),
                        s -> s.migration.post = jobTemplate("{\"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"c:1\"}],"
                                + " \"initContainers\": [{\"name\": \"wait\", \"image\": \"\"}]}}")),
                invalid("spec.migration.template.spec.containers[0].args", "must be a list", withMigration(),
                        s -> s.migration.template = jobTemplate("{\"spec\": {\"containers\": [{\"name\": \"m\", \"image\": \"m:1\","
                                + " \"args\": \"migrate up\"}]}}")),
                invalid("spec.strategy.canary.steps[1].verify.template.spec.containers[0].ports[0].containerPort",
                        "out of range for a 32-bit integer", canary(), s -> s.strategy.canary.steps.set(1, verifyStep(jobTemplate(
                                "{\"spec\": {\"containers\": [{\"name\": \"t\", \"image\": \"t:1\","
                                + " \"ports\": [{\"containerPort\": 99999999999}]}]}}")))),
                invalid("spec.analysis.standard[1]", "'restarts' is not a standard metric (known: errorRate, latency)",
                        withStandard("errorRate", "restarts"), s -> { }),
                invalid("spec.analysis.standard[2]", "'latency' is listed twice", withStandard("latency", "errorRate", "latency"),
                        s -> { }),
                invalid("spec.analysis.standard", "names no standard metric", withStandard(), s -> { }),
                invalid("spec.analysis.metrics[0].judge.histogram", "set either errors and requests, or histogram", withStandard(),
                        s -> s.analysis.metrics = List.of(latencyJudge(j -> j.errors = "sum(e{rev=\"{{revision}}\"})"))),
                invalid("spec.analysis.metrics[0].judge.histogram", "must use {{revision}}", withStandard(),
                        s -> s.analysis.metrics = List.of(latencyJudge(j -> j.histogram = "sum by (le) (d_bucket)"))),
                invalid("spec.analysis.metrics[0].judge.quantile", "between 0.5 and 0.9999", withStandard(),
                        s -> s.analysis.metrics = List.of(latencyJudge(j -> j.quantile = 0.3))),
                invalid("spec.analysis.metrics[0].judge.maxErrorRate", "applies to errors, not to histogram", withStandard(),
                        s -> s.analysis.metrics = List.of(latencyJudge(j -> j.maxErrorRate = 0.01))),
                invalid("spec.analysis.metrics[0].judge.quantile", "needs histogram", withStandard(),
                        s -> s.analysis.metrics = List.of(latencyJudge(j -> {
                            j.histogram = null;
                            j.errors = "sum(e{rev=\"{{revision}}\"})";
                            j.requests = "sum(r{rev=\"{{revision}}\"})";
                        }))),
                invalid("spec.analysis.conventions", "applies only to spec.analysis.standard, which is not set",
                        ReleasePlannerAnalysisTest.withAnalysis(canary()), s -> s.analysis.conventions = new MetricConventions()),
                invalid("spec.analysis.metrics", "at least one metric, or spec.analysis.standard", withStandard(),
                        s -> s.analysis.standard = null),
                invalid("spec.analysis.metrics[0].name", "'latency-p99' is the name of a metric spec.analysis.standard adds",
                        withStandard("latency"), s -> s.analysis.metrics = List.of(thresholdMetric("latency-p99"))),
                invalid("spec.analysis.conventions.requestsMetric", "not a Prometheus metric name", withStandard("errorRate"),
                        s -> conventions(s).requestsMetric = "http-requests"),
                invalid("spec.analysis.conventions.durationHistogram", "not a Prometheus metric name", withStandard("latency"),
                        s -> conventions(s).durationHistogram = "9lives"),
                invalid("spec.analysis.conventions.releaseLabel", "not a Prometheus label name", withStandard("errorRate"),
                        s -> conventions(s).releaseLabel = "glidepath.dev/release"),
                invalid("spec.analysis.conventions.revisionLabel", "not a Prometheus label name", withStandard("errorRate"),
                        s -> conventions(s).revisionLabel = "rev:ision"),
                invalid("spec.analysis.conventions.namespaceLabel", "not a Prometheus label name", withStandard("errorRate"),
                        s -> conventions(s).namespaceLabel = ""),
                invalid("spec.analysis.conventions.codeLabel", "not a Prometheus label name", withStandard("errorRate"),
                        s -> conventions(s).codeLabel = "code\"} or vector(1) #"),
                invalid("spec.analysis.conventions.errorCodes", "may hold only", withStandard("errorRate"),
                        s -> conventions(s).errorCodes = "5..\"}"),
                invalid("spec.analysis.conventions.errorCodes", "not a regular expression", withStandard("errorRate"),
                        s -> conventions(s).errorCodes = "(5.."),
                invalid("spec.strategy.blueGreen.prePromotionVerify.template.spec", "must be an object", blueGreen(), s -> {
                    s.strategy.blueGreen.prePromotionVerify = new VerifySpec();
                    s.strategy.blueGreen.prePromotionVerify.template = jobTemplate("{\"spec\": \"run the smoke test\"}");
                }));
    }

    private static ReleaseSpec withStandard(String... rules) {
        ReleaseSpec spec = canary();
        spec.analysis = new AnalysisSpec();
        spec.analysis.prometheus = new PrometheusSpec();
        spec.analysis.prometheus.address = "http://prometheus:9090";
        spec.analysis.standard = List.of(rules);
        return spec;
    }

    private static MetricConventions conventions(ReleaseSpec spec) {
        if (spec.analysis.conventions == null) {
            spec.analysis.conventions = new MetricConventions();
        }
        return spec.analysis.conventions;
    }

    /** A latency judge, valid until {@code breakIt} changes it. */
    private static MetricSpec latencyJudge(Consumer<JudgeSpec> breakIt) {
        MetricSpec m = new MetricSpec();
        m.name = "slow";
        m.judge = new JudgeSpec();
        m.judge.histogram = "sum by (le) (d_bucket{rev=\"{{revision}}\"})";
        m.judge.quantile = 0.99;
        breakIt.accept(m.judge);
        return m;
    }

    private static MetricSpec thresholdMetric(String name) {
        return Analyses.upMetric(name);
    }

    @Test
    void standardMetricsAloneAreAnAnalysis() {
        assertThat(SpecValidator.validate(withStandard("errorRate", "latency"))).isEmpty();
    }

    @Test
    void standardMetricsComeWithWrittenOnesAndOverriddenConventions() {
        ReleaseSpec spec = withStandard("errorRate");
        spec.analysis.metrics = List.of(thresholdMetric("up"));
        conventions(spec).requestsMetric = "nginx:requests_total";
        conventions(spec).codeLabel = "status";
        conventions(spec).errorCodes = "5..|429";
        assertThat(SpecValidator.validate(spec)).isEmpty();
    }

    private static io.fabric8.kubernetes.api.model.ServicePort port(String name, Integer number) {
        return new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName(name).withPort(number).build();
    }

    @Test
    void aReleaseNameLongerThanALabelValueIsRefused() {
        assertThat(SpecValidator.validate("a".repeat(63), canary())).isEmpty();
        assertThat(SpecValidator.validate("a".repeat(101), canary())).singleElement()
                .satisfies(p -> assertThat(p).startsWith("metadata.name: at most 63 characters"));
    }

    @Test
    void labelsTheApiServerAcceptsPass() {
        ReleaseSpec spec = canary();
        spec.template.getMetadata().getLabels().putAll(Map.of("app.kubernetes.io/name", "shop", "empty", "",
                "team_1.x", "Payments-EU_1"));
        spec.service.ports = List.of(port("http", 80), port("metrics", 9090));
        assertThat(SpecValidator.validate(spec)).isEmpty();
    }

    private static JobPodTemplate jobTemplate(String json) {
        return Serialization.unmarshal(json, JobPodTemplate.class);
    }

    private static JobPodTemplate job(String image) {
        return JobPodTemplate.of(new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("job").withImage(image)
                .endContainer().endSpec().build());
    }

    private static ReleaseSpec withMigration() {
        ReleaseSpec spec = canary();
        spec.migration = new MigrationSpec();
        spec.migration.template = job("migrate:1");
        spec.migration.rollback = job("migrate:1");
        spec.migration.post = job("migrate:1");
        return spec;
    }

    private static CanaryStep verifyStep(JobPodTemplate template) {
        CanaryStep step = new CanaryStep();
        step.verify = new VerifySpec();
        step.verify.template = template;
        return step;
    }

    @Test
    void jobTemplatesThatReadAsPodTemplatesAreValid() {
        ReleaseSpec spec = withMigration();
        spec.strategy.canary.steps.add(verifyStep(job("smoke:1")));
        assertThat(SpecValidator.validate(spec)).isEmpty();
        assertThat(spec.migration.template.podTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("migrate:1");
    }

    @Test
    void aReleaseWithAMalformedJobTemplateStillReadsKeepsTheTemplateAsWrittenAndIsReported() {
        String json = """
                {"apiVersion": "glidepath.dev/v1alpha1", "kind": "Release", "metadata": {"name": "shop"},
                 "spec": {"migration": {"template": {"spec": {"containers": [
                     {"name": "m", "image": "m:1", "args": "up", "ports": [{"containerPort": 99999999999}]}]}}}}}
                """;

        Release release = Serialization.unmarshal(json, Release.class);

        assertThat(SpecValidator.validate(release.getSpec()))
                .contains("spec.migration.template.spec.containers[0].args: must be a list");
        assertThat(Serialization.asJson(release.getSpec().migration.template))
                .isEqualTo("{\"spec\":{\"containers\":[{\"name\":\"m\",\"image\":\"m:1\",\"args\":\"up\","
                        + "\"ports\":[{\"containerPort\":99999999999}]}]}}");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidSpecs")
    void everyProblemNamesItsField(String field, String fragment, ReleaseSpec spec) {
        List<String> problems = SpecValidator.validate(spec);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p).startsWith(field + ": ");
            assertThat(p).contains(fragment);
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidSpecs")
    void anInvalidSpecTouchesNoWorkloads(String field, String fragment, ReleaseSpec spec) {
        var cluster = new SimulatedCluster(spec);

        Decision d = cluster.reconcile();

        assertThat(d.touchWorkloads()).isFalse();
        assertThat(d.replicas()).isEmpty();
        assertThat(d.createRevision()).isEmpty();
        assertThat(d.stableRoute()).isEmpty();
        assertThat(d.previewRoute()).isEmpty();
        assertThat(d.rolloutWrites()).isEmpty();
        assertThat(d.pruneRevisions()).isEmpty();
        assertThat(d.pruneRollouts()).isEmpty();
        assertThat(d.requeueAfter()).isEmpty();
        assertThat(cluster.status.phase).isEqualTo("Degraded");
        assertThat(cluster.status.message).startsWith("invalid spec, nothing was changed: ").contains(field);
        assertThat(cluster.condition(Conditions.INVALID_SPEC)).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getMessage()).contains(field);
        });
        assertThat(cluster.condition(Conditions.DEGRADED)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "InvalidSpec");
        assertThat(d.events()).singleElement().satisfies(e -> {
            assertThat(e.warning()).isTrue();
            assertThat(e.reason()).isEqualTo("InvalidSpec");
        });
    }

    @Test
    void aValidSpecHasNoProblems() {
        assertThat(SpecValidator.validate(canary())).isEmpty();
        assertThat(SpecValidator.validate(blueGreen())).isEmpty();
        ReleaseSpec full = canary();
        full.replicas = 0;
        full.revisionHistoryLimit = 0;
        assertThat(SpecValidator.validate(full)).isEmpty();
        full.replicas = ReleaseSpec.MAX_REPLICAS;
        full.progressDeadline = "1h30m";
        full.promote = Specs.promoteFull("p");
        full.abort = Specs.command("a");
        full.retry = Specs.command("r");
        full.rollback = Specs.rollback("rb", 1);
        full.strategy.canary.steps.add(CanaryStep.weight(0));
        full.strategy.canary.steps.add(CanaryStep.weight(100));
        full.strategy.canary.steps.add(CanaryStep.pause("500ms"));
        assertThat(SpecValidator.validate(full)).isEmpty();
    }

    @Test
    void aMissingSpecIsReported() {
        assertThat(SpecValidator.validate(null)).containsExactly("spec: is required");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ReleaseSpec spec = canary();
        spec.replicas = -1;
        spec.service.name = "Bad";
        spec.strategy.canary.steps.get(0).setWeight = 200;

        assertThat(SpecValidator.validate(spec)).extracting(p -> p.substring(0, p.indexOf(':'))).containsExactly(
                "spec.replicas", "spec.service.name", "spec.strategy.canary.steps[0].setWeight");
    }

    @Test
    void anInvalidSpecMidRolloutFreezesEverythingAndKeepsTheRollout() {
        var cluster = new SimulatedCluster(canary()).deployed();
        cluster.setImage("shop:2.0");
        cluster.reconcile();
        cluster.tickUntil(c -> c.status.currentStep != null && c.status.currentStep == 1);
        Map<Integer, Integer> replicas = cluster.replicas();
        var rollout = SimulatedCluster.json(cluster.status.rollout);
        String availableSince = cluster.condition(Conditions.AVAILABLE).orElseThrow().getLastTransitionTime();

        cluster.spec.replicas = -3;
        Decision first = cluster.tick(Duration.ofMinutes(5));
        Decision second = cluster.tick(Duration.ofMinutes(5));

        assertThat(first.touchWorkloads()).isFalse();
        assertThat(first.events()).extracting(Decision.Note::reason).containsExactly("InvalidSpec");
        assertThat(second.events()).as("the same problem is reported once").isEmpty();
        assertThat(cluster.replicas()).isEqualTo(replicas);
        assertThat(SimulatedCluster.json(cluster.status.rollout)).isEqualTo(rollout);
        assertThat(cluster.condition(Conditions.INVALID_SPEC).orElseThrow().getLastTransitionTime())
                .isEqualTo(cluster.now.minus(Duration.ofMinutes(5)).toString());
        assertThat(cluster.condition(Conditions.AVAILABLE).orElseThrow().getLastTransitionTime()).isEqualTo(availableSince);

        cluster.spec.replicas = 3;
        cluster.tick();
        assertThat(cluster.condition(Conditions.INVALID_SPEC)).get().extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("False", "SpecValid");
        // Time went on: the 1m pause is over and the rollout waits at the next (indefinite) pause.
        assertThat(cluster.status.phase).isEqualTo("Paused");
        assertThat(cluster.status.currentStep).isEqualTo(2);
    }

    @Test
    void aDifferentProblemIsReportedAgain() {
        ReleaseSpec spec = canary();
        spec.replicas = -1;
        var cluster = new SimulatedCluster(spec);
        cluster.reconcile();

        cluster.spec.replicas = 1;
        cluster.spec.revisionHistoryLimit = -1;
        Decision d = cluster.tick();

        assertThat(d.events()).singleElement().satisfies(e -> assertThat(e.message()).startsWith("spec.revisionHistoryLimit"));
    }

    @Test
    void stepListsWithManyProblemsNameEachStep() {
        ReleaseSpec spec = canary();
        spec.strategy.canary.steps = new ArrayList<>(List.of(CanaryStep.weight(150), new CanaryStep(), CanaryStep.pause("x")));

        assertThat(SpecValidator.validate(spec)).containsExactly(
                "spec.strategy.canary.steps[0].setWeight: must be between 0 and 100, got 150",
                "spec.strategy.canary.steps[1]: set exactly one of setWeight, pause, verify or setHeaderRoute",
                "spec.strategy.canary.steps[2].pause.duration: 'x' is not a duration such as 30s, 10m or 1h30m");
    }
}
