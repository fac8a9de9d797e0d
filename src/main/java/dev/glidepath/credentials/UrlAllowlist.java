package dev.glidepath.credentials;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Addresses the operator's configuration lets a Release send to, as URL prefixes {@code scheme://host[:port][/path]}.
 * A URL is compared part by part, never as a plain string, so {@code http://prometheus.monitoring:9090} does not
 * also admit {@code http://prometheus.monitoring:9090.attacker.example} or {@code http://prometheus.monitoring:9090@attacker.example}:
 * the scheme and host must be equal (a host {@code *.example.com} admits any subdomain of example.com), the port
 * must be equal (the scheme's default when left out), and the path must start with the prefix's path at a
 * segment boundary. An empty list admits every address.
 */
public final class UrlAllowlist {
    public static final UrlAllowlist ANY = new UrlAllowlist(List.of(), List.of());

    private record Prefix(String scheme, String host, boolean subdomains, int port, String path) {
        boolean admits(URI url) {
            String urlHost = url.getHost().toLowerCase(Locale.ROOT);
            boolean hostMatches = subdomains ? urlHost.endsWith("." + host) : urlHost.equals(host);
            if (!scheme.equals(url.getScheme().toLowerCase(Locale.ROOT)) || !hostMatches || port != UrlAllowlist.port(url)) {
                return false;
            }
            String urlPath = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            return path.isEmpty() || urlPath.equals(path) || urlPath.startsWith(path + "/");
        }
    }

    private final List<String> entries;
    private final List<Prefix> prefixes;

    private UrlAllowlist(List<String> entries, List<Prefix> prefixes) {
        this.entries = List.copyOf(entries);
        this.prefixes = List.copyOf(prefixes);
    }

    /** Blank entries are ignored; an entry that is not an http(s) URL prefix is refused, naming it. */
    public static UrlAllowlist of(List<String> entries) {
        List<String> kept = new ArrayList<>();
        List<Prefix> prefixes = new ArrayList<>();
        for (String entry : entries == null ? List.<String>of() : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            kept.add(entry.trim());
            prefixes.add(prefix(entry.trim()));
        }
        return new UrlAllowlist(kept, prefixes);
    }

    /** Whether the list restricts anything (an empty list admits every address). */
    public boolean restricts() {
        return !prefixes.isEmpty();
    }

    public List<String> entries() {
        return entries;
    }

    /** Whether a Release may send to this URL. A URL that cannot be parsed is admitted only by an empty list. */
    public boolean admits(String url) {
        if (!restricts()) {
            return true;
        }
        URI parsed = parse(url);
        return parsed != null && prefixes.stream().anyMatch(p -> p.admits(parsed));
    }

    @Override
    public String toString() {
        return restricts() ? String.join(", ", entries) : "any address";
    }

    private static Prefix prefix(String entry) {
        boolean subdomains = false;
        String text = entry;
        int hostStart = entry.indexOf("://");
        if (hostStart > 0 && entry.startsWith("*.", hostStart + 3)) {
            subdomains = true;
            text = entry.substring(0, hostStart + 3) + entry.substring(hostStart + 5);
        }
        URI uri = parse(text);
        if (uri == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + entry + "' is not a URL prefix such as https://prometheus.monitoring:9090"
                    + " or https://*.example.com/hooks (http or https, a host, optionally a port and a path)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Prefix(uri.getScheme().toLowerCase(Locale.ROOT), uri.getHost().toLowerCase(Locale.ROOT), subdomains,
                port(uri), path);
    }

    /**
     * An absolute http(s) URL with a host, or null. Paths with dot segments or encoded dots, slashes or
     * backslashes are refused outright: a server may resolve them to a path outside the prefix.
     */
    private static URI parse(String url) {
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")
                || List.of(path.split("/", -1)).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
            return null;
        }
        return uri;
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
