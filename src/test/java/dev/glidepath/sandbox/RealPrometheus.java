package dev.glidepath.sandbox;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A real Prometheus server (Debian's `prometheus` package) on a free loopback port, scraping one target
 * every second. Tests start it and stop it; it stops itself when the JVM exits.
 */
public final class RealPrometheus implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RealPrometheus(String binary, String target) throws IOException {
        dir = Files.createTempDirectory("glidepath-prometheus");
        port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: app
                    scrape_interval: 1s
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        process = new ProcessBuilder(binary, "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + dir.resolve("data"), "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        awaitReady();
    }

    /** The binary, from PATH or Debian's location; empty when Prometheus is not installed. */
    public static Optional<String> binary() {
        for (String candidate : List.of("/usr/bin/prometheus", "/usr/local/bin/prometheus")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static RealPrometheus start(String target) throws IOException {
        return new RealPrometheus(binary().orElseThrow(() -> new IllegalStateException(
                "prometheus is not installed (apt-get install prometheus)")), target);
    }

    public String address() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(address() + "/-/ready").toURL().openConnection();
                c.setConnectTimeout(200);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(100); // waiting for an external process to open its port
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("prometheus not ready within 20s");
    }

    /**
     * Waits until an instant query returns a sample: the first scrape becomes queryable some seconds after
     * start, and rate() windows need two samples.
     */
    public void awaitSample(String promql, Duration atMost) throws IOException {
        Instant deadline = Instant.now().plus(atMost);
        String url = address() + "/api/v1/query?query=" + java.net.URLEncoder.encode(promql, java.nio.charset.StandardCharsets.UTF_8);
        while (Instant.now().isBefore(deadline)) {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            try (var in = c.getInputStream()) {
                String body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (body.contains("\"value\"")) {
                    return;
                }
            }
            try {
                Thread.sleep(250); // polling an external process
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("no sample for " + promql + " within " + atMost);
    }

    /** The value of an instant query that returns one sample; empty when it returns none. */
    public java.util.OptionalDouble value(String promql) throws IOException {
        String url = address() + "/api/v1/query?query=" + java.net.URLEncoder.encode(promql, java.nio.charset.StandardCharsets.UTF_8);
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (var in = c.getInputStream()) {
            String body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            var m = java.util.regex.Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"\\]").matcher(body);
            return m.find() ? java.util.OptionalDouble.of(Double.parseDouble(m.group(1))) : java.util.OptionalDouble.empty();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
