package dev.glidepath.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admission policy glidepath-approval-identity, as the chart renders it, evaluated with a CEL library the way
 * the API server evaluates it: {@code request}, {@code object} and {@code oldObject} are dynamic values (maps, as
 * the API server converts the admission request and the objects), {@code variables} holds the policy's variables,
 * and a request is refused when an expression is false or fails (failurePolicy Fail).
 *
 * <p>The sandbox API (fabric8's mock server) runs no admission at all, and nothing here runs a kube-apiserver:
 * these evaluations are how the policy is tested. What they do not cover is the API server's matching itself
 * (which requests reach the policy): the match constraints are asserted as written instead.
 */
class ApprovalPolicyTest {
    static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS) // has(), all(), exists() ...: on in Kubernetes
            .addVar("request", SimpleType.DYN)
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("variables", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .build();

    static List<HasMetadata> chart;
    static ValidatingAdmissionPolicy policy;

    static final Map<String, Object> ALICE = identity("alice@example.com", "4f1c-alice",
            List.of("system:authenticated", "security-team"));

    @BeforeAll
    static void render() {
        chart = HelmChartTest.render(t -> t);
        policy = HelmChartTest.ofKind(chart, ValidatingAdmissionPolicy.class).get(0);
    }

    // --- What the policy matches and how it is bound ---

    @Test
    void thePolicyAndItsBindingAreInstalledByDefaultAndInDeploy() throws IOException {
        for (List<HasMetadata> objects : List.of(chart, Chart.objects(Files.readString(Path.of("deploy", "glidepath.yaml"))))) {
            assertThat(HelmChartTest.ofKind(objects, ValidatingAdmissionPolicy.class)).singleElement()
                    .satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo("glidepath-approval-identity"));
            assertThat(HelmChartTest.ofKind(objects, ValidatingAdmissionPolicyBinding.class)).singleElement()
                    .satisfies(b -> assertThat(b.getMetadata().getName()).isEqualTo("glidepath-approval-identity"));
        }
    }

    @Test
    void itMatchesCreatesAndUpdatesOfApprovalsButNotTheirStatus() {
        assertThat(policy.getApiVersion()).isEqualTo("admissionregistration.k8s.io/v1");
        assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
        var constraints = policy.getSpec().getMatchConstraints();
        assertThat(constraints.getExcludeResourceRules()).isNullOrEmpty();
        assertThat(constraints.getResourceRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("glidepath.dev");
            assertThat(rule.getApiVersions()).containsExactly("*");
            // "approvals" alone does not match the subresource approvals/status, which the operator writes.
            assertThat(rule.getResources()).containsExactly("approvals");
            assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
            assertThat(rule.getScope()).isIn(null, "*", "Namespaced");
        });
    }

    @Test
    void theBindingDeniesWhatThePolicyRefuses() {
        var binding = HelmChartTest.ofKind(chart, ValidatingAdmissionPolicyBinding.class).get(0);
        assertThat(binding.getApiVersion()).isEqualTo("admissionregistration.k8s.io/v1");
        assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
        assertThat(binding.getSpec().getParamRef()).isNull();
        assertThat(binding.getSpec().getMatchResources()).isNull();
    }

    @Test
    void turnedOffItIsLeftOutAndTrustingUnverifiedApprovalsIsTheOperatorsSetting() {
        List<HasMetadata> off = HelmChartTest.render(t -> t.set("approvals.admissionPolicy", false));
        assertThat(off).extracting(HasMetadata::getKind)
                .doesNotContain("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
        assertThat(operatorEnv(chart)).containsEntry("GLIDEPATH_APPROVALS_TRUST_UNVERIFIED", "false");
        List<HasMetadata> trusting = HelmChartTest.render(t -> t.set("approvals.admissionPolicy", false)
                .set("approvals.trustUnverified", true));
        assertThat(operatorEnv(trusting)).containsEntry("GLIDEPATH_APPROVALS_TRUST_UNVERIFIED", "true");
    }

    @Test
    void everyExpressionCompilesAndEveryValidationIsABoolWithAMessageNamingItsField() throws CelValidationException {
        for (Variable v : policy.getSpec().getVariables()) {
            compile(v.getExpression());
        }
        assertThat(policy.getSpec().getValidations()).hasSize(4).allSatisfy(v -> {
            assertThat(compile(v.getExpression()).getResultType()).as(v.getExpression()).isEqualTo(SimpleType.BOOL);
            assertThat(v.getMessage()).startsWith("spec").doesNotContain("\n");
            assertThat(v.getMessageExpression()).isNull();
        });
    }

    // --- CREATE: the approver is whoever creates the Approval ---

    @Test
    void anApprovalInYourOwnNameIsAdmitted() {
        assertThat(create(ALICE, approver(ALICE))).isEmpty();
        // The UID is optional; the groups are compared as sets.
        assertThat(create(ALICE, identity("alice@example.com", null, List.of("security-team", "system:authenticated"))))
                .isEmpty();
    }

    @Test
    void aForgedUsernameIsRefused() {
        List<String> groups = List.of("system:authenticated", "security-team");
        assertThat(create(ALICE, identity("bob@example.com", "4f1c-alice", groups)))
                .containsExactly(message("spec.approver.username"));
        assertThat(create(ALICE, identity("Alice@example.com", "4f1c-alice", groups)))
                .as("usernames are compared exactly").containsExactly(message("spec.approver.username"));
    }

    @Test
    void forgedGroupsAreRefused() {
        assertThat(create(ALICE, identity("alice@example.com", null,
                List.of("system:authenticated", "security-team", "system:masters"))))
                .as("a group the user is not in").containsExactly(message("spec.approver.groups"));
        assertThat(create(ALICE, identity("alice@example.com", null, List.of("system:authenticated"))))
                .as("a group left out").containsExactly(message("spec.approver.groups"));
        assertThat(create(ALICE, identity("alice@example.com", null, null)))
                .as("no groups while the user has some").containsExactly(message("spec.approver.groups"));
    }

    @Test
    void groupsAbsentOnBothSidesAreAdmitted() {
        Map<String, Object> noGroups = identity("ci-bot", null, null);
        assertThat(create(noGroups, identity("ci-bot", null, null))).isEmpty();
        assertThat(create(noGroups, identity("ci-bot", null, List.of()))).isEmpty();
        assertThat(create(identity("ci-bot", null, List.of()), identity("ci-bot", null, null))).isEmpty();
        assertThat(create(noGroups, identity("ci-bot", null, List.of("security-team"))))
                .containsExactly(message("spec.approver.groups"));
    }

    @Test
    void aUidThatIsNotTheUsersIsRefused() {
        List<String> groups = List.of("system:authenticated", "security-team");
        assertThat(create(ALICE, identity("alice@example.com", "9999-bob", groups)))
                .containsExactly(message("spec.approver.uid"));
        Map<String, Object> noUid = identity("alice@example.com", null, groups);
        assertThat(create(noUid, approver(ALICE))).as("a UID when the authenticator gives none")
                .containsExactly(message("spec.approver.uid"));
    }

    @Test
    void anApprovalWithoutSpecIsRefusedRatherThanFailing() {
        Map<String, Object> object = approval(approver(ALICE), 7);
        object.remove("spec");
        assertThat(refusals(request("CREATE", ALICE), object, NullValue.NULL_VALUE))
                .containsExactly(message("spec.approver.username"), message("spec.approver.groups"));
    }

    @Test
    void costStaysBoundedAtTheCrdsLimits() {
        // The CRD admits at most 64 groups of 256 characters: the largest comparison the policy makes.
        List<String> groups = IntStream.range(0, 64).mapToObj(i -> String.format("%03d", i) + "g".repeat(253)).toList();
        Map<String, Object> user = identity("u".repeat(512), null, groups);
        assertThat(create(user, approver(user))).isEmpty();
        // A user in more groups than an Approval can list cannot approve; the lists are not compared at all.
        List<String> many = IntStream.range(0, 65).mapToObj(i -> "group-" + i).toList();
        assertThat(create(identity("u", null, many), identity("u", null, many.subList(0, 64))))
                .containsExactly(message("spec.approver.groups"));
    }

    // --- UPDATE: an Approval's spec never changes ---

    @Test
    void changingTheSpecIsRefused() {
        Map<String, Object> old = approval(approver(ALICE), 7);
        assertThat(refusals(request("UPDATE", ALICE), approval(approver(ALICE), 8), old))
                .containsExactly(message("spec:"));
        Map<String, Object> bob = identity("bob@example.com", null, List.of("system:authenticated"));
        assertThat(refusals(request("UPDATE", bob), approval(approver(bob), 7), old))
                .as("taking over someone else's Approval").containsExactly(message("spec:"));
        Map<String, Object> withoutSpec = new LinkedHashMap<>(old);
        withoutSpec.remove("spec");
        assertThat(refusals(request("UPDATE", ALICE), withoutSpec, old)).containsExactly(message("spec:"));
    }

    @Test
    void anUpdateThatKeepsTheSpecIsAdmittedWhoeverMakesIt() {
        Map<String, Object> old = approval(approver(ALICE), 7);
        Map<String, Object> labelled = approval(approver(ALICE), 7);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) labelled.get("metadata");
        metadata.put("labels", Map.of("ticket", "CHG-1234"));
        Map<String, Object> operator = identity("system:serviceaccount:glidepath-system:glidepath", "8d2e-sa",
                List.of("system:serviceaccounts", "system:serviceaccounts:glidepath-system", "system:authenticated"));
        assertThat(refusals(request("UPDATE", ALICE), labelled, old)).isEmpty();
        assertThat(refusals(request("UPDATE", operator), labelled, old))
                .as("the identity checks are for CREATE only").isEmpty();
    }

    // --- Evaluation, as the API server does it ---

    static CelAbstractSyntaxTree compile(String expression) {
        try {
            return CEL.compile(expression).getAst();
        } catch (CelValidationException e) {
            throw new AssertionError("does not compile: " + expression + "\n" + e.getMessage(), e);
        }
    }

    /** The messages of the validations that refuse the request: false, or an error (failurePolicy Fail). */
    static List<String> refusals(Map<String, Object> request, Object object, Object oldObject) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("request", request);
        input.put("object", object);
        input.put("oldObject", oldObject);
        // Variables may use the ones before them; the API server evaluates them lazily, these never fail.
        Map<String, Object> variables = new LinkedHashMap<>();
        input.put("variables", variables);
        for (Variable v : policy.getSpec().getVariables()) {
            variables.put(v.getName(), evaluate(v.getExpression(), input));
        }
        List<String> refused = new ArrayList<>();
        for (Validation v : policy.getSpec().getValidations()) {
            Object result;
            try {
                result = CEL.createProgram(compile(v.getExpression())).eval(input);
            } catch (CelEvaluationException e) {
                refused.add("error in " + v.getExpression() + ": " + e.getMessage());
                continue;
            }
            if (!Boolean.TRUE.equals(result)) {
                refused.add(v.getMessage());
            }
        }
        return refused;
    }

    static Object evaluate(String expression, Map<String, Object> input) {
        try {
            return CEL.createProgram(compile(expression)).eval(input);
        } catch (CelEvaluationException e) {
            throw new AssertionError(expression + ": " + e.getMessage(), e);
        }
    }

    static List<String> create(Map<String, Object> userInfo, Map<String, Object> approver) {
        return refusals(request("CREATE", userInfo), approval(approver, 7), NullValue.NULL_VALUE);
    }

    /** The validation's message naming this field. */
    static String message(String field) {
        return policy.getSpec().getValidations().stream().map(Validation::getMessage).filter(m -> m.startsWith(field))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one message names " + field);
                }).orElseThrow(() -> new AssertionError("no message names " + field));
    }

    /** The admission request as the API server hands it to CEL: empty fields of userInfo are left out. */
    static Map<String, Object> request(String operation, Map<String, Object> userInfo) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("operation", operation);
        request.put("kind", Map.of("group", "glidepath.dev", "version", "v1alpha1", "kind", "Approval"));
        request.put("resource", Map.of("group", "glidepath.dev", "version", "v1alpha1", "resource", "approvals"));
        request.put("namespace", "shop");
        request.put("name", "shop-7-security");
        request.put("userInfo", userInfo);
        return request;
    }

    static Map<String, Object> approver(Map<String, Object> userInfo) {
        return new LinkedHashMap<>(userInfo);
    }

    static Map<String, Object> approval(Map<String, Object> approver, long revision) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "shop-7-security");
        metadata.put("namespace", "shop");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("release", "shop");
        spec.put("revision", revision);
        spec.put("role", "security");
        spec.put("comment", "reviewed");
        spec.put("approver", approver);
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("apiVersion", "glidepath.dev/v1alpha1");
        approval.put("kind", "Approval");
        approval.put("metadata", metadata);
        approval.put("spec", spec);
        return approval;
    }

    /** A user as authenticated (request.userInfo) or as an approver names it; null leaves a field out. */
    static Map<String, Object> identity(String username, String uid, List<String> groups) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("username", username);
        if (uid != null) {
            identity.put("uid", uid);
        }
        if (groups != null) {
            identity.put("groups", groups);
        }
        return identity;
    }

    static Map<String, String> operatorEnv(List<HasMetadata> objects) {
        return Chart.env(HelmChartTest.ofKind(objects, Deployment.class).get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0));
    }
}
