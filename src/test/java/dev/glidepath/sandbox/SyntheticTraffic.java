package dev.glidepath.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.SynchronizedRandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A /metrics endpoint on a loopback port that plays an application's request counters per release and
 * revision: `http_requests_total{namespace,glidepath_dev_release,glidepath_dev_revision,code}` and a latency histogram
 * `http_request_duration_seconds`. The test sets each revision's request rate, error ratio and latency;
 * counters grow with wall time at those rates (with optional noise), as a real app's would. The labels
 * are those the usual pod scrape config derives from Glidepath's pod labels. Behind a {@link SimulatedGateway}
 * each revision receives its share of the release's requests.
 */
public final class SyntheticTraffic implements AutoCloseable {
    private static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5};

    /**
     * How one revision behaves. Request durations are log-normal around {@code latencySeconds} (their median) with
     * {@code latencySpread} the standard deviation of their logarithm; a spread of 0 makes every request take
     * exactly {@code latencySeconds}.
     */
    public record Behaviour(double requestsPerSecond, double errorRatio, double latencySeconds, double noise, double latencySpread) {
        public Behaviour(double requestsPerSecond, double errorRatio, double latencySeconds, double noise) {
            this(requestsPerSecond, errorRatio, latencySeconds, noise, 0);
        }

        /** The share of requests that take at most {@code seconds}. */
        double shareWithin(double seconds) {
            if (latencySpread <= 0) {
                return latencySeconds <= seconds ? 1 : 0;
            }
            return NORMAL.cumulativeProbability(Math.log(seconds / latencySeconds) / latencySpread);
        }
    }

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private final class Series {
        Behaviour behaviour;
        /** The revision's share of the release's requests, as a gateway splits them (1 without a gateway). */
        double share = 1;
        double requests;
        double errors;
        double[] buckets = new double[BUCKETS.length];
        double latencySum;
        long lastNanos = System.nanoTime();

        synchronized void advance() {
            long now = System.nanoTime();
            double dt = (now - lastNanos) / 1e9;
            lastNanos = now;
            double ratio = Math.min(1, Math.max(0, behaviour.errorRatio() + behaviour.noise() * (random.nextDouble() * 2 - 1)));
            double n = behaviour.requestsPerSecond() * share * dt;
            double failed = n * ratio;
            if (poisson != null && n > 0) {
                // Whole requests arriving as a Poisson process, each failing with the error ratio.
                n = new PoissonDistribution(poisson, n, PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS)
                        .sample();
                failed = n == 0 ? 0 : new BinomialDistribution(poisson, (int) n, ratio).sample();
            }
            requests += n;
            errors += failed;
            latencySum += n * behaviour.latencySeconds() * Math.exp(behaviour.latencySpread() * behaviour.latencySpread() / 2);
            // Each bucket's requests: with noise, the requests not yet placed fall into the next bucket binomially
            // (a multinomial draw over the buckets); without, their expected share.
            double placed = 0;
            double below = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                double within = behaviour.shareWithin(BUCKETS[i]);
                double rest = n - placed;
                double p = below >= 1 ? 0 : Math.min(1, Math.max(0, (within - below) / (1 - below)));
                double here = poisson != null && rest > 0 && p > 0 && p < 1
                        ? new BinomialDistribution(poisson, (int) rest, p).sample() : rest * p;
                placed += here;
                below = within;
                buckets[i] += placed;
            }
        }
    }

    private final HttpServer server;
    private final Map<String, Series> series = new ConcurrentHashMap<>();
    private final Random random = new Random(42);
    private final java.util.List<Long> scrapes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** When set, counts are whole requests with Poisson arrivals and binomial failures drawn from it. */
    private final RandomGenerator poisson;

    public SyntheticTraffic() throws IOException {
        this(null);
    }

    /** Counts with Poisson noise, from a fixed seed: what a real application's counters look like. */
    public static SyntheticTraffic poisson(long seed) throws IOException {
        return new SyntheticTraffic(new SynchronizedRandomGenerator(new Well19937c(seed)));
    }

    private SyntheticTraffic(RandomGenerator poisson) throws IOException {
        this.poisson = poisson;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            scrapes.add(System.nanoTime());
            byte[] body = render().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Sets (or changes, from now on) how a revision of a release behaves. */
    public void set(String namespace, String release, int revision, Behaviour behaviour) {
        Series s = series.computeIfAbsent(key(namespace, release, revision), k -> new Series());
        synchronized (s) {
            if (s.behaviour != null) {
                s.advance();
            }
            s.behaviour = behaviour;
        }
    }

    /**
     * Sets the share of a release's requests a revision receives from now on, as a gateway's weights decide:
     * its behaviour's request rate is then the rate the whole release would receive.
     */
    public void share(String namespace, String release, int revision, double share) {
        Series s = series.get(key(namespace, release, revision));
        if (s == null) {
            return;
        }
        synchronized (s) {
            if (s.behaviour != null) {
                s.advance();
            }
            s.share = share;
        }
    }

    /** A revision's cumulative requests (or failed requests) so far, as its counter would show them now. */
    public double count(String namespace, String release, int revision, boolean errorsOnly) {
        Series s = series.get(key(namespace, release, revision));
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            s.advance();
            return errorsOnly ? s.errors : s.requests;
        }
    }

    /** A revision's cumulative duration buckets so far by {@code le} (+Inf as the infinite key), as its histogram shows them now. */
    public java.util.SortedMap<Double, Double> buckets(String namespace, String release, int revision) {
        java.util.SortedMap<Double, Double> byLe = new java.util.TreeMap<>();
        Series s = series.get(key(namespace, release, revision));
        if (s == null) {
            return byLe;
        }
        synchronized (s) {
            s.advance();
            for (int i = 0; i < BUCKETS.length; i++) {
                byLe.put(BUCKETS[i], s.buckets[i]);
            }
            byLe.put(Double.POSITIVE_INFINITY, s.requests);
        }
        return byLe;
    }

    /** A revision's series: namespace, release and revision, as render() splits them again. */
    private static String key(String namespace, String release, int revision) {
        return namespace + "\u0000" + release + "\u0000" + revision;
    }

    private String render() {
        StringBuilder out = new StringBuilder();
        out.append("# TYPE http_requests_total counter\n");
        StringBuilder histogram = new StringBuilder("# TYPE http_request_duration_seconds histogram\n");
        series.forEach((key, s) -> {
            String[] parts = key.split("\u0000");
            String labels = "namespace=\"" + parts[0] + "\",glidepath_dev_release=\"" + parts[1]
                    + "\",glidepath_dev_revision=\"" + parts[2] + "\"";
            synchronized (s) {
                s.advance();
                out.append("http_requests_total{").append(labels).append(",code=\"200\"} ").append(s.requests - s.errors).append('\n');
                out.append("http_requests_total{").append(labels).append(",code=\"500\"} ").append(s.errors).append('\n');
                for (int i = 0; i < BUCKETS.length; i++) {
                    histogram.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(BUCKETS[i])
                            .append("\"} ").append(s.buckets[i]).append('\n');
                }
                histogram.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
                        .append(s.requests).append('\n');
                histogram.append("http_request_duration_seconds_sum{").append(labels).append("} ").append(s.latencySum).append('\n');
                histogram.append("http_request_duration_seconds_count{").append(labels).append("} ").append(s.requests).append('\n');
            }
        });
        return out.append(histogram).toString();
    }

    /** The first scrape at or after the given System.nanoTime(), if any yet. */
    public java.util.OptionalLong firstScrapeAfter(long nanos) {
        return scrapes.stream().mapToLong(Long::longValue).filter(t -> t >= nanos).min();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
