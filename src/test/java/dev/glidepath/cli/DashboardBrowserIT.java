package dev.glidepath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.CanaryStep;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.sandbox.Analyses;
import dev.glidepath.sandbox.FakePrometheus;
import dev.glidepath.sandbox.FakePrometheus.Answer;
import dev.glidepath.sandbox.OperatorHarness;
import dev.glidepath.sandbox.Releases;
import dev.glidepath.sandbox.Sandbox;
import dev.glidepath.sandbox.WorkloadSimulator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in Debian's headless Chromium against the sandbox with the real operator: a paused canary shows
 * under "Needs you", a promote confirmed in the page finishes it and the page follows without a reload; an abort
 * goes through the same confirmation; each Release is offered only the commands that mean something now, and one
 * refused because the Release changed while it was being confirmed is shown with the reason. Skipped where chromium or chromedriver is not
 * installed, except under CI (GLIDEPATH_CI=1), where it fails. With DASHBOARD_SCREENSHOT=PATH it saves a
 * screenshot of the paused canary there (docs/dashboard.png in the README).
 */
class DashboardBrowserIT {
    private static final String NS = "apps";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Sandbox sandbox;
    private KubernetesClient client;
    private WorkloadSimulator simulator;
    private OperatorHarness operator;
    private FakePrometheus prometheus;
    private Dashboard dashboard;
    private ChromeDriver browser;
    private Path profile;

    /**
     * Waits for the page (or the sandbox) on a loaded machine: a browser, the operator and the simulator share two
     * cores with whatever else runs, so longer than the sandbox tests' patience. A card replaced by a push while it
     * was looked at is looked at again.
     */
    private static ConditionFactory page() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    static void requireBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("1".equals(System.getenv("GLIDEPATH_CI"))) {
            assertThat(installed).as("chromium and chromedriver must be installed under CI (apt-get install chromium chromium-driver)")
                    .isTrue();
        }
        Assumptions.assumeTrue(installed, "chromium or chromedriver is not installed; `make test` installs them where it can");
    }

    @BeforeEach
    void start() throws IOException {
        requireBrowser();
        sandbox = Sandbox.start();
        client = sandbox.client();
        simulator = new WorkloadSimulator(client, Duration.ofMillis(150)).start();
        operator = OperatorHarness.start(sandbox.newClient());
        // An error rate that wanders below its bound, so that the chart has a shape.
        AtomicInteger n = new AtomicInteger();
        double[] rates = {0.012, 0.018, 0.011, 0.024, 0.016, 0.021, 0.013, 0.019};
        prometheus = new FakePrometheus();
        prometheus.answer(q -> Answer.value(rates[Math.floorMod(n.getAndIncrement(), rates.length)]));
        // The dashboard reads with its own client, as the user's kubeconfig would give it.
        dashboard = Dashboard.start(sandbox.userClient(), new ReleaseCommands(sandbox.userClient(), Clock.systemUTC()), null, 0,
                Clock.systemUTC());
        browser = browser();
    }

    private ChromeDriver browser() throws IOException {
        profile = Files.createTempDirectory("glidepath-chromium");
        // The driver is named explicitly, so Selenium Manager (which would try to download one) is never asked.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,860",
                "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (operator != null) {
            operator.stop();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private Release awaitPhase(String name, String phase) {
        page().alias(name + " " + phase).until(() -> {
            Release r = client.resources(Release.class).inNamespace(NS).withName(name).get();
            return r != null && r.getStatus() != null && phase.equals(r.getStatus().phase);
        });
        return client.resources(Release.class).inNamespace(NS).withName(name).get();
    }

    /** A canary of the given name, Healthy on :1 and then paused at 25% on :2 until promoted. */
    private void pausedCanary(String name, boolean analysed) {
        Release r = Releases.canary(NS, name, name + ":1", 2, CanaryStep.weight(25), CanaryStep.pause(null), CanaryStep.weight(50));
        if (analysed) {
            r.getSpec().analysis = Analyses.of(prometheus.address(), "300ms", Analyses.errorRate("1m", 0.05));
        }
        client.resource(r).create();
        awaitPhase(name, "Healthy");
        Releases.edit(client, NS, name, x -> {
            x.getSpec().template.getSpec().getContainers().get(0).setImage(name + ":2");
            return x;
        });
        awaitPhase(name, "Paused");
    }

    private List<WebElement> cards(String section, String key) {
        return browser.findElements(By.cssSelector("#" + section + " article[data-release='" + key + "']"));
    }

    private WebElement card(String key) {
        return browser.findElement(By.cssSelector("article[data-release='" + key + "']"));
    }

    /** Clicks an action of a Release and answers the page's own confirmation dialog. */
    private void command(String key, String action, boolean confirm) {
        ask(key, action);
        answer(confirm);
    }

    /** Clicks an action of a Release: the page asks for confirmation. */
    private void ask(String key, String action) {
        // A stale button (its card was just replaced) was not clicked: find it again.
        page().until(() -> {
            card(key).findElement(By.cssSelector("button[data-action='" + action + "']")).click();
            return true;
        });
        page().until(() -> browser.findElement(By.id("confirm")).isDisplayed());
        assertThat(browser.findElement(By.id("confirm-text")).getText()).contains(key);
    }

    private void answer(boolean confirm) {
        WebElement dialog = browser.findElement(By.id("confirm"));
        browser.findElement(By.id(confirm ? "confirm-yes" : "confirm-no")).click();
        page().until(() -> !dialog.isDisplayed());
    }

    /** The commands a Release's card offers, as buttons. */
    private List<String> actions(String key) {
        return card(key).findElements(By.cssSelector("div.actions button[data-action]")).stream()
                .map(b -> b.getAttribute("data-action")).toList();
    }

    private String notice() {
        WebElement n = browser.findElement(By.id("notice"));
        return n.isDisplayed() ? n.getText() : "";
    }

    /** The time and value of the newest point of a Release's error-rate chart, as its tooltip says. */
    private String lastMeasurement(String key) {
        Object text = ((JavascriptExecutor) browser).executeScript("const dots = document.querySelectorAll(\"article[data-release='\" + arguments[0]"
                + " + \"'] [data-metric='error-rate'] svg circle title\"); return dots.length ? dots[dots.length - 1].textContent : '';", key);
        return String.valueOf(text);
    }

    private void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.glidepathTestMark = 'same page';");
    }

    private void assertSamePage() {
        assertThat(((JavascriptExecutor) browser).executeScript("return window.glidepathTestMark;")).isEqualTo("same page");
    }

    @Test
    void aPausedCanaryNeedsYouAndAPromoteConfirmedInThePageFinishesItWithoutAReload() throws IOException {
        client.resource(Releases.canary(NS, "cart", "cart:1", 1, CanaryStep.weight(50))).create();
        pausedCanary("shop", true);
        browser.get(dashboard.url());
        markPage();

        page().until(() -> cards("needs-you", "apps/shop").size() == 1);
        page().until(() -> cards("others", "apps/cart").size() == 1);
        // Healthy with nothing before it: nothing to promote, abort, retry or roll back to; it can only be paused.
        page().untilAsserted(() -> assertThat(actions("apps/cart")).containsExactly("pause"));
        // Each push replaces the card, so every look finds it afresh.
        page().untilAsserted(() -> {
            WebElement shop = card("apps/shop");
            assertThat(shop.findElement(By.cssSelector(".phase")).getText()).isEqualTo("Paused");
            assertThat(shop.findElement(By.cssSelector(".waiting")).getText()).isEqualTo("promote");
            assertThat(shop.findElement(By.cssSelector(".weight-value")).getText()).startsWith("25%");
            assertThat(shop.findElements(By.cssSelector("ol.steps li")).stream().map(e -> e.getAttribute("class")).toList())
                    .containsExactly("done", "current", "pending");
        });
        // The measurements arrive live while it waits: a chart of several points against the 0.05 bound.
        page().untilAsserted(() -> {
            WebElement chart = card("apps/shop").findElement(By.cssSelector("[data-metric='error-rate'] svg"));
            assertThat(chart.findElements(By.cssSelector("circle")).size()).isGreaterThanOrEqualTo(5);
            assertThat(chart.findElement(By.cssSelector("text")).getText()).isEqualTo("max 0.05");
        });
        // A new measurement renews the card around its buttons but keeps them: nothing moves under the pointer.
        WebElement promote = card("apps/shop").findElement(By.cssSelector("button[data-action='promote']"));
        String last = lastMeasurement("apps/shop");
        page().until(() -> !last.equals(lastMeasurement("apps/shop")));
        assertThat(promote.isDisplayed()).isTrue();
        String screenshot = System.getenv("DASHBOARD_SCREENSHOT");
        if (screenshot != null && !screenshot.isBlank()) {
            Files.write(Path.of(screenshot), browser.getScreenshotAs(OutputType.BYTES));
        }

        command("apps/shop", "promote", true);
        page().until(() -> notice().startsWith("promote sent to apps/shop"));

        page().untilAsserted(() -> {
            assertThat(cards("others", "apps/shop")).hasSize(1);
            WebElement done = card("apps/shop");
            assertThat(done.getAttribute("data-phase")).isEqualTo("Healthy");
            assertThat(done.findElements(By.cssSelector(".weight"))).isEmpty();
        });
        assertThat(cards("needs-you", "apps/shop")).isEmpty();
        assertThat(browser.findElement(By.id("needs-you-empty")).isDisplayed()).isTrue();
        assertThat(awaitPhase("shop", "Healthy").getStatus().stableRevision).isEqualTo(2);
        assertSamePage();

        // The filter hides what does not match.
        browser.findElement(By.id("filter")).sendKeys("cart");
        page().until(() -> !card("apps/shop").isDisplayed() && card("apps/cart").isDisplayed());
    }

    @Test
    void anAbortGoesThroughTheSameConfirmationAndARefusalFromTheServerIsShown() {
        pausedCanary("pay", false);
        browser.get(dashboard.url());
        markPage();
        page().until(() -> cards("needs-you", "apps/pay").size() == 1);

        // Cancelled: nothing is sent.
        command("apps/pay", "abort", false);
        assertThat(client.resources(Release.class).inNamespace(NS).withName("pay").get().getSpec().abort).isNull();
        assertThat(notice()).isEmpty();

        command("apps/pay", "abort", true);
        page().until(() -> notice().startsWith("abort sent to apps/pay"));
        page().untilAsserted(() -> {
            assertThat(card("apps/pay").getAttribute("data-phase")).isEqualTo("Degraded");
            assertThat(card("apps/pay").findElements(By.cssSelector(".weight"))).isEmpty();
        });
        assertThat(awaitPhase("pay", "Degraded").getStatus().stableRevision).isEqualTo(1);

        // The history opens a Rollout's deployment record in the page: the newest, the one just aborted.
        page().until(() -> {
            ((JavascriptExecutor) browser).executeScript("document.querySelector(\"article[data-release='apps/pay'] button.record\").click();");
            return true;
        });
        page().untilAsserted(() -> assertThat(browser.findElement(By.id("record-text")).getText())
                .startsWith("# Deployment record: pay").containsPattern("\\| Revisions +\\| 1 → 2 +\\|").contains("Aborted"));
        browser.findElement(By.id("record-close")).click();
        page().until(() -> !browser.findElement(By.id("record")).isDisplayed());
        // Nothing is in flight any more: no promote or abort is offered, a retry is.
        page().untilAsserted(() -> assertThat(actions("apps/pay")).contains("retry").doesNotContain("promote", "promote-full", "abort"));

        // A colleague retries while this page asks for confirmation of its own retry: the server refuses it, and the
        // page says why.
        ask("apps/pay", "retry");
        new ReleaseCommands(sandbox.userClient(), Clock.systemUTC()).retry(NS, "pay");
        page().until(() -> !"Degraded".equals(card("apps/pay").getAttribute("data-phase")));
        answer(true);
        page().until(() -> notice().startsWith("nothing to retry: apps/pay is"));
        assertThat(browser.findElement(By.id("notice")).getAttribute("class")).contains("error");
        page().untilAsserted(() -> assertThat(actions("apps/pay")).contains("abort").doesNotContain("retry"));
        assertSamePage();
    }
}
