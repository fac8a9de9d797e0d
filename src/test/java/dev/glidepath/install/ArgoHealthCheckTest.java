package dev.glidepath.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs deploy/argocd/health.lua, as Argo CD would, against sample Release objects (Debian's Lua interpreter). */
class ArgoHealthCheckTest {

    static Optional<String> lua() {
        return List.of("/usr/bin/lua5.4", "/usr/bin/lua5.3", "/usr/bin/lua").stream().filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst();
    }

    /** The script's verdict (status TAB message) for an object written as a Lua table. */
    static String health(String objectAsLua) throws IOException, InterruptedException {
        if ("1".equals(System.getenv("GLIDEPATH_CI"))) {
            assertThat(lua()).as("a Lua interpreter must be installed under CI (apt-get install lua5.4)").isPresent();
        }
        Assumptions.assumeTrue(lua().isPresent(), "no Lua interpreter; `make test` installs lua5.4 where it can");
        String script = Files.readString(Path.of("deploy", "argocd", "health.lua"));
        String program = "local function check(obj)\n" + script + "\nend\nlocal hs = check(" + objectAsLua + ")\n"
                + "io.write(hs.status .. \"\\t\" .. (hs.message or \"\"))\n";
        Path file = Files.createTempFile("health", ".lua");
        Files.writeString(file, program);
        Process p = new ProcessBuilder(lua().get(), file.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    static String release(long generation, String status) {
        return "{metadata = {name = \"shop\", generation = " + generation + "}, spec = {}" + (status == null ? "" : ", status = " + status) + "}";
    }

    @Test
    void mapsEachPhase() throws Exception {
        Map<String, String> expected = Map.of("Healthy", "Healthy", "Progressing", "Progressing", "Paused", "Suspended",
                "AwaitingApproval", "Suspended", "WaitingForWindow", "Suspended", "Frozen", "Suspended", "AwaitingPromotion", "Suspended",
                "Degraded", "Degraded",
                "RolledBack", "Degraded");
        for (var e : expected.entrySet()) {
            String out = health(release(3, "{observedGeneration = 3, phase = \"" + e.getKey() + "\", message = \"why " + e.getKey() + "\"}"));
            assertThat(out).as(e.getKey()).isEqualTo(e.getValue() + "\twhy " + e.getKey());
        }
    }

    @Test
    void notYetObservedIsProgressing() throws Exception {
        assertThat(health(release(1, null))).startsWith("Progressing\tWaiting for Glidepath");
        assertThat(health(release(4, "{observedGeneration = 3, phase = \"Healthy\"}"))).startsWith("Progressing\tWaiting");
    }

    @Test
    void anInvalidSpecIsDegradedWithTheFieldInTheMessage() throws Exception {
        String out = health(release(2, "{observedGeneration = 2, phase = \"Degraded\", conditions = {"
                + "{type = \"Available\", status = \"True\"},"
                + "{type = \"InvalidSpec\", status = \"True\", message = \"spec.strategy: set exactly one of blueGreen or canary\"}}}"));
        assertThat(out).isEqualTo("Degraded\tspec.strategy: set exactly one of blueGreen or canary");
    }
}
