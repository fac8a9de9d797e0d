package dev.glidepath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.strategy.SpecValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code lint FILE...}: the operator's own validation of every Release in the files, without a cluster. */
final class Lint {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Lint() {
    }

    static int run(List<Path> files, PrintStream out) {
        if (files.isEmpty()) {
            throw new CliException(CliException.USAGE, "lint needs at least one FILE");
        }
        int problems = 0;
        int releases = 0;
        for (Path file : files) {
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
                while (it.hasNextValue()) {
                    docs.add(it.nextValue());
                }
            } catch (NoSuchFileException e) {
                throw new CliException(CliException.NOT_FOUND, file + ": no such file");
            } catch (IOException e) {
                throw new CliException(CliException.REFUSED, file + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
            }
            for (int i = 0; i < docs.size(); i++) {
                JsonNode doc = docs.get(i);
                if (doc == null || !"Release".equals(doc.path("kind").asText()) || !doc.path("apiVersion").asText().startsWith("glidepath.dev/")) {
                    continue;
                }
                releases++;
                String name = doc.path("metadata").path("name").asText("");
                String where = file + ": Release " + (name.isEmpty() ? "#" + (i + 1) : name);
                List<String> found = new ArrayList<>();
                if (name.isEmpty()) {
                    found.add("metadata.name: required");
                }
                try {
                    Release r = Serialization.jsonMapper().treeToValue(doc, Release.class);
                    if (r.getSpec() == null) {
                        found.add("spec: required");
                    } else {
                        found.addAll(SpecValidator.validate(name, r.getSpec()));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    found.add("does not read as a Release: " + e.getMessage().lines().findFirst().orElse(""));
                }
                found.forEach(p -> out.println(where + ": " + p));
                if (found.isEmpty()) {
                    out.println(where + ": ok");
                }
                problems += found.size();
            }
        }
        if (releases == 0) {
            out.println("no glidepath.dev Release in " + files.stream().map(Path::toString).toList());
        }
        return problems == 0 ? 0 : CliException.REFUSED;
    }
}
