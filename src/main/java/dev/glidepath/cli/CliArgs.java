package dev.glidepath.cli;

import dev.glidepath.api.v1alpha1.Durations;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: flags and positional arguments. The cluster flags are kubectl's ({@code -n}, {@code -A},
 * {@code --context}, {@code --kubeconfig}, {@code --request-timeout}), so that habits carry over.
 */
record CliArgs(List<String> positional, String namespace, boolean all, String context, Path kubeconfig, Duration requestTimeout,
        boolean full, boolean watch, Duration timeout, int port, Integer revision, String role) {
    /** Past this a request timeout is no longer a timeout a person waits for (and no longer fits the client's int of ms). */
    private static final Duration LONGEST_REQUEST_TIMEOUT = Duration.ofHours(24);

    static CliArgs parse(String[] raw) {
        List<String> pos = new ArrayList<>();
        String ns = null;
        boolean all = false;
        String context = null;
        Path kubeconfig = null;
        Duration requestTimeout = null;
        boolean full = false;
        boolean watch = false;
        Duration timeout = null;
        int port = 8099;
        Integer revision = null;
        String role = null;
        for (int i = 0; i < raw.length; i++) {
            String a = raw[i];
            String value = a.contains("=") && a.startsWith("--") ? a.substring(a.indexOf('=') + 1) : null;
            String flag = value != null ? a.substring(0, a.indexOf('=')) : a;
            switch (flag) {
                case "-n", "--namespace" -> ns = value != null ? value : next(raw, ++i, flag);
                case "-A", "--all-namespaces" -> all = true;
                case "--context" -> context = value != null ? value : next(raw, ++i, flag);
                case "--kubeconfig" -> kubeconfig = kubeconfig(value != null ? value : next(raw, ++i, flag));
                case "--request-timeout" -> requestTimeout = requestTimeout(value != null ? value : next(raw, ++i, flag));
                case "--full" -> full = true;
                case "-w", "--watch" -> watch = true;
                case "--timeout" -> timeout = duration(flag, value != null ? value : next(raw, ++i, flag));
                case "--port" -> port = port(value != null ? value : next(raw, ++i, flag));
                case "--revision" -> revision = revision(value != null ? value : next(raw, ++i, flag));
                case "--role" -> role = role(value != null ? value : next(raw, ++i, flag));
                default -> {
                    if (a.startsWith("-") && a.length() > 1) {
                        throw new CliException(CliException.USAGE, "unknown flag " + a + "\n\n" + Cli.USAGE);
                    }
                    pos.add(a);
                }
            }
        }
        return new CliArgs(pos, ns, all, context, kubeconfig, requestTimeout, full, watch, timeout, port, revision, role);
    }

    private static String role(String text) {
        if (!text.matches("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")) {
            throw new CliException(CliException.USAGE, "--role: '" + text + "' is not a role name (lowercase letters, digits and '-')");
        }
        return text;
    }

    private static String next(String[] raw, int i, String flag) {
        if (i >= raw.length) {
            throw new CliException(CliException.USAGE, flag + " needs a value");
        }
        return raw[i];
    }

    private static Duration duration(String flag, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, flag + ": " + e.getMessage());
        }
    }

    private static Duration requestTimeout(String text) {
        Duration d = duration("--request-timeout", text);
        if (d.isZero() || d.compareTo(LONGEST_REQUEST_TIMEOUT) > 0) {
            throw new CliException(CliException.USAGE, "--request-timeout: must be more than 0s and at most 24h, got " + text);
        }
        return d;
    }

    private static Path kubeconfig(String text) {
        if (text.isBlank()) {
            throw new CliException(CliException.USAGE, "--kubeconfig needs a file");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new CliException(CliException.USAGE, "--kubeconfig: not a file name: " + e.getMessage());
        }
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(CliException.USAGE, "--port: must be a number from 0 to 65535, got " + text);
    }

    private static int revision(String text) {
        try {
            int r = Integer.parseInt(text);
            if (r > 0) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(CliException.USAGE, "--revision: must be a revision number (1, 2, 3 ...), got " + text);
    }

    String arg(int i, String what) {
        if (positional.size() <= i) {
            throw new CliException(CliException.USAGE, positional.get(0) + " needs " + what + "\n\n" + Cli.USAGE);
        }
        return positional.get(i);
    }

    Integer optionalNumber(int i, String what) {
        if (positional.size() <= i) {
            return null;
        }
        try {
            return Integer.valueOf(positional.get(i));
        } catch (NumberFormatException e) {
            throw new CliException(CliException.USAGE, what + " must be a number, got " + positional.get(i));
        }
    }

    void atMost(int n) {
        if (positional.size() > n) {
            throw new CliException(CliException.USAGE, "unexpected argument " + positional.get(n) + "\n\n" + Cli.USAGE);
        }
    }
}
