package dev.glidepath.cli;

import dev.glidepath.api.v1alpha1.Durations;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.Rollout;
import dev.glidepath.cli.ReleaseCommands.Errors;
import dev.glidepath.workload.Labels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code kubectl glidepath}: the on-call commands as a kubectl plugin (also runnable on its own). It uses the
 * current kubeconfig and context, and the user's own permissions.
 */
public final class Cli {
    public static final String VERSION = "0.1.0";
    /** Exit code of {@code status --watch} when the timeout passes first. */
    public static final int TIMED_OUT = 6;
    static final String USAGE = """
            Usage: kubectl glidepath COMMAND [flags]

            Commands:
              list                         Releases of all namespaces (or -n NS): phase, weight, step, what each waits for
              status NAME [--watch] [--timeout D]
                                           steps, weight, analysis, Jobs and Events; --watch redraws and exits 0 when
                                           Healthy, 1 when Degraded or RolledBack, 6 when the timeout passes
              promote NAME [--full]        go past the current pause (--full: skip all remaining steps)
              abort NAME                   all traffic back to the stable revision now
              rollback NAME [REVISION]     back to REVISION (default: the revision stable before the current one)
              retry NAME                   roll out the current template again after it failed
              pause NAME | resume NAME     hold the rollout where it is / let it go on
              approve NAME [REVISION]      approve REVISION (default: the revision waiting for approval)
              approve NAME --role ROLE [--revision N]
                                           sign off as yourself for ROLE (an Approval with your identity)
              set image NAME CONTAINER=IMAGE
                                           a new image for one container: a new revision
              history NAME                 the Rollouts: from and to, how each ended, why, how long
              record ROLLOUT | record NAME --revision N
                                           the deployment record of a Rollout (or of the newest Rollout of Release NAME
                                           to revision N) as Markdown: facts, approvals, changes, timeline, analysis
              lint FILE...                 the operator's validation of the Releases in FILE, offline
              dashboard [--port P]         a live web page on 127.0.0.1:P (default 8099; 0: a free port) with the same
                                           commands, for all namespaces or -n NS
              version                      this plugin's version

            Flags: -n, --namespace NS; -A, --all-namespaces; --context NAME; --kubeconfig FILE;
                   --request-timeout D (per request to the API server, default 10s)
            Exit codes: 0 done, 1 refused or failed, 2 usage, 3 not found, 4 forbidden, 5 no connection""";

    /** How the CLI gets a client: from the kubeconfig (and context) in production, a sandbox's in tests. */
    public interface Clients {
        KubernetesClient client(String context);

        /** The namespace of the context (kubectl's default for -n). */
        String namespace(String context);

        /**
         * These clients with {@code --kubeconfig} and {@code --request-timeout} (null: not given). A test's clients
         * ignore them, as they ignore the context.
         */
        default Clients configured(Path kubeconfig, Duration requestTimeout) {
            return this;
        }
    }

    private final Clients clients;
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;

    public Cli(Clients clients, Clock clock, PrintStream out, PrintStream err) {
        this.clients = clients;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Cli(KubeconfigClients.fromEnvironment(), Clock.systemUTC(), System.out, System.err).run(args));
    }

    public int run(String[] raw) {
        try {
            CliArgs a = CliArgs.parse(raw);
            if (a.positional().isEmpty() || List.of("help", "-h", "--help").contains(a.positional().get(0))) {
                out.println(USAGE);
                return a.positional().isEmpty() ? CliException.USAGE : 0;
            }
            String command = a.positional().get(0);
            switch (command) {
                case "version" -> {
                    out.println("kubectl-glidepath " + VERSION);
                    return 0;
                }
                case "warmup" -> {
                    // Not for users: `make cli` runs this once to record the classes a command loads (a class data
                    // sharing archive), so that each later run starts faster.
                    Warmup.run(clock);
                    return 0;
                }
                case "lint" -> {
                    return Lint.run(a.positional().subList(1, a.positional().size()).stream().map(Path::of).toList(), out);
                }
                default -> {
                    return withClient(a, command);
                }
            }
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return e.exitCode();
        }
    }

    private int withClient(KubernetesClient client, Clients configured, CliArgs a, String command) {
        try {
            String ns = a.namespace() != null ? a.namespace() : configured.namespace(a.context());
            ReleaseCommands commands = new ReleaseCommands(client, clock);
            switch (command) {
                case "list" -> {
                    a.atMost(1);
                    list(client, a.all() || a.namespace() == null ? null : ns);
                }
                case "status" -> {
                    a.atMost(2);
                    return status(client, commands, ns, a.arg(1, "a Release name"), a.watch(), a.timeout());
                }
                case "promote" -> {
                    a.atMost(2);
                    out.println(commands.promote(ns, a.arg(1, "a Release name"), a.full()));
                }
                case "abort" -> {
                    a.atMost(2);
                    out.println(commands.abort(ns, a.arg(1, "a Release name")));
                }
                case "rollback" -> {
                    a.atMost(3);
                    out.println(commands.rollback(ns, a.arg(1, "a Release name"), a.optionalNumber(2, "REVISION")));
                }
                case "retry" -> {
                    a.atMost(2);
                    out.println(commands.retry(ns, a.arg(1, "a Release name")));
                }
                case "pause", "resume" -> {
                    a.atMost(2);
                    out.println(commands.pause(ns, a.arg(1, "a Release name"), command.equals("pause")));
                }
                case "approve" -> {
                    a.atMost(3);
                    Integer revision = a.optionalNumber(2, "REVISION");
                    if (a.role() != null) {
                        out.println(commands.approveAs(ns, a.arg(1, "a Release name"), revision != null ? revision : a.revision(),
                                a.role()));
                    } else {
                        out.println(commands.approve(ns, a.arg(1, "a Release name"), revision != null ? revision : a.revision()));
                    }
                }
                case "set" -> {
                    a.atMost(4);
                    if (!"image".equals(a.arg(1, "what to set (image)"))) {
                        throw new CliException(CliException.USAGE, "only 'set image NAME CONTAINER=IMAGE' exists");
                    }
                    String name = a.arg(2, "a Release name");
                    String assignment = a.arg(3, "CONTAINER=IMAGE");
                    int eq = assignment.indexOf('=');
                    if (eq <= 0 || eq == assignment.length() - 1) {
                        throw new CliException(CliException.USAGE, "set image needs CONTAINER=IMAGE, got " + assignment);
                    }
                    out.println(commands.setImage(ns, name, assignment.substring(0, eq), assignment.substring(eq + 1)));
                }
                case "history" -> {
                    a.atMost(2);
                    String name = a.arg(1, "a Release name");
                    commands.get(ns, name);
                    out.print(StatusView.history(rollouts(client, ns, name), clock.instant()));
                }
                case "record" -> {
                    a.atMost(2);
                    String name = a.arg(1, "a Rollout name (or a Release name and --revision N)");
                    Rollout rollout = a.revision() == null ? rollout(client, ns, name) : rolloutTo(client, commands, ns, name, a.revision());
                    out.print(DeploymentRecord.markdown(rollout));
                }
                case "dashboard" -> {
                    a.atMost(1);
                    Dashboard.serve(client, commands, a.all() || a.namespace() == null ? null : ns, a.port(), clock, out);
                }
                default -> throw new CliException(CliException.USAGE, "unknown command " + command + "\n\n" + USAGE);
            }
            return 0;
        } catch (KubernetesClientException e) {
            throw Errors.translate(e, "read", a.namespace());
        }
    }

    /** Runs {@code command} with a client; a connection failure names the server it tried. */
    private int withClient(CliArgs a, String command) {
        Clients configured = clients.configured(a.kubeconfig(), a.requestTimeout());
        KubernetesClient client = configured.client(a.context());
        try (client) {
            return withClient(client, configured, a, command);
        } catch (CliException e) {
            String prefix = Errors.CANNOT_REACH + ": ";
            if (e.exitCode() == CliException.UNREACHABLE && e.getMessage().startsWith(prefix)) {
                String reason = e.getMessage().substring(prefix.length());
                if (reason.equals(Errors.NO_ANSWER)) {
                    reason = "it took the connection but sent no answer within "
                            + Durations.format(Duration.ofMillis(client.getConfiguration().getRequestTimeout())) + " (--request-timeout)";
                }
                throw new CliException(CliException.UNREACHABLE, Errors.CANNOT_REACH + " at "
                        + client.getMasterUrl().toString().replaceAll("/$", "") + ": " + reason);
            }
            throw e;
        }
    }

    private void list(KubernetesClient client, String namespace) {
        List<Release> releases = Errors.call(() -> namespace == null
                ? client.resources(Release.class).inAnyNamespace().list().getItems()
                : client.resources(Release.class).inNamespace(namespace).list().getItems(), "list", namespace);
        Instant now = clock.instant();
        List<ReleaseSummary> rows = releases.stream().map(r -> ReleaseSummary.of(r, now)).sorted(ReleaseSummary.ORDER).toList();
        if (rows.isEmpty()) {
            out.println("No Releases" + (namespace == null ? "" : " in namespace " + namespace) + ".");
            return;
        }
        // The shard column only where Releases are spread over shards.
        boolean sharded = rows.stream().anyMatch(r -> r.shard() != null);
        StringBuilder b = new StringBuilder(String.format("%-16s %-24s " + (sharded ? "%-10s " : "%s") + "%-17s %-9s %-14s %-6s %-5s %s%n",
                "NAMESPACE", "NAME", sharded ? "SHARD" : "", "PHASE", "TYPE", "VERSION", "WEIGHT", "STEP", "WAITING FOR"));
        for (ReleaseSummary r : rows) {
            b.append(String.format("%-16s %-24s " + (sharded ? "%-10s " : "%s") + "%-17s %-9s %-14s %-6s %-5s %s%s%n", r.namespace(),
                    r.name(), sharded ? (r.shard() == null ? "-" : r.shard()) : "", r.phase(),
                    r.deploymentType() == null ? "-" : r.deploymentType(), r.version() == null ? "-" : r.version(),
                    r.weight() == null ? "-" : r.weight() + "%", r.step(), r.needsYou() ? "» " : "", r.waitingFor()));
        }
        out.print(b);
    }

    private int status(KubernetesClient client, ReleaseCommands commands, String ns, String name, boolean watch, Duration timeout) {
        Release r = commands.get(ns, name);
        if (!watch) {
            out.print(render(client, r));
            return 0;
        }
        Semaphore changed = new Semaphore(0);
        Instant deadline = timeout == null ? null : clock.instant().plus(timeout);
        try (Watch w = client.resources(Release.class).inNamespace(ns).withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Release resource) {
                changed.release();
            }

            @Override
            public void onClose(WatcherException cause) {
                changed.release();
            }
        })) {
            String last = null;
            while (true) {
                String view = render(client, r);
                if (!view.equals(last)) {
                    out.print(last == null ? "" : "\n");
                    out.print(view);
                    out.flush();
                    last = view;
                }
                Integer done = finished(r);
                if (done != null) {
                    out.println(done == 0 ? "Done: " + name + " is Healthy." : "Ended: " + name + " is " + r.getStatus().phase + ".");
                    return done;
                }
                if (deadline != null && !clock.instant().isBefore(deadline)) {
                    err.println("error: timed out after " + timeout.toSeconds() + "s; " + name + " is " + r.getStatus().phase);
                    return TIMED_OUT;
                }
                // A change wakes it at once; the countdown of a timed pause is redrawn every second.
                changed.tryAcquire(1, TimeUnit.SECONDS);
                changed.drainPermits();
                r = commands.get(ns, name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CliException.REFUSED;
        }
    }

    /** 0 when the Release is Healthy with its spec acted on, 1 when Degraded or RolledBack, null while it goes on. */
    static Integer finished(Release r) {
        var s = r.getStatus();
        if (s == null || s.phase == null || !Objects.equals(s.observedGeneration, r.getMetadata().getGeneration())) {
            return null;
        }
        return switch (s.phase) {
            case "Healthy" -> s.rollout == null ? 0 : null;
            case "Degraded", "RolledBack" -> 1;
            default -> null;
        };
    }

    private String render(KubernetesClient client, Release r) {
        String ns = r.getMetadata().getNamespace();
        String name = r.getMetadata().getName();
        List<Rollout> rollouts = rollouts(client, ns, name);
        String current = r.getStatus() != null && r.getStatus().rollout != null ? r.getStatus().rollout.name : null;
        Rollout shown = rollouts.stream().filter(x -> x.getMetadata().getName().equals(current)).findFirst()
                .orElse(rollouts.isEmpty() ? null : rollouts.get(rollouts.size() - 1));
        List<Job> jobs = client.batch().v1().jobs().inNamespace(ns).withLabel(Labels.RELEASE, name).list().getItems();
        List<Event> events = new ArrayList<>(client.v1().events().inNamespace(ns).withField("involvedObject.name", name).list().getItems());
        events.removeIf(e -> !"Release".equals(e.getInvolvedObject().getKind()));
        events.sort(Comparator.comparing(e -> e.getLastTimestamp() == null ? "" : e.getLastTimestamp()));
        List<Event> recent = events.subList(Math.max(0, events.size() - 5), events.size());
        return StatusView.render(r, shown, jobs, recent, clock.instant());
    }

    private static int sequence(Rollout r) {
        try {
            return Integer.parseInt(r.getMetadata().getLabels().get(Labels.ROLLOUT_SEQUENCE));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The Rollout {@code name}, or a clear "not found". */
    private static Rollout rollout(KubernetesClient client, String ns, String name) {
        Rollout r = Errors.call(() -> client.resources(Rollout.class).inNamespace(ns).withName(name).get(), "get", "rollouts", ns);
        if (r == null) {
            throw new CliException(CliException.NOT_FOUND, "rollout " + name + " not found in namespace " + ns
                    + " (the Rollouts of a Release: history NAME; by revision: record NAME --revision N)");
        }
        return r;
    }

    /** The newest Rollout of Release {@code release} to {@code revision} (a revision rolled out again has several). */
    private static Rollout rolloutTo(KubernetesClient client, ReleaseCommands commands, String ns, String release, int revision) {
        List<Rollout> all = Errors.call(() -> rollouts(client, ns, release), "list", "rollouts", ns);
        List<Rollout> to = all.stream().filter(r -> r.getSpec() != null && Integer.valueOf(revision).equals(r.getSpec().toRevision)).toList();
        if (!to.isEmpty()) {
            return to.get(to.size() - 1);
        }
        if (all.isEmpty()) {
            // No Rollout at all: say whether the Release itself exists.
            commands.get(ns, release);
        }
        String went = all.stream().map(r -> r.getSpec() == null ? "?" : String.valueOf(r.getSpec().toRevision)).distinct()
                .collect(Collectors.joining(", "));
        throw new CliException(CliException.NOT_FOUND, "no Rollout of " + ns + "/" + release + " went to revision " + revision
                + (all.isEmpty() ? "" : " (its Rollouts went to " + went + ")"));
    }

    static List<Rollout> rollouts(KubernetesClient client, String ns, String name) {
        return client.resources(Rollout.class).inNamespace(ns).withLabel(Release.LABEL, name).list().getItems().stream()
                .sorted(Comparator.comparingInt(Cli::sequence))
                .toList();
    }
}
