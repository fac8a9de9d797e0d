package dev.glidepath.strategy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** What identifies a revision: the hash of its pod template, its version label and its images. */
public record TemplateIdentity(String hash, String version, List<String> images) {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    public static TemplateIdentity of(PodTemplateSpec template, String explicitVersion) {
        List<String> images = template.getSpec() == null || template.getSpec().getContainers() == null
                ? List.of()
                : template.getSpec().getContainers().stream().map(Container::getImage).toList();
        String version = explicitVersion != null && !explicitVersion.isBlank()
                ? explicitVersion
                : images.isEmpty() ? "unknown" : imageTag(images.get(0));
        // The version is part of the identity: it labels the pods, which metric queries select on.
        return new TemplateIdentity(hash(template, explicitVersion), version, images);
    }

    /** The tag of an image reference: "1.2" for "repo/app:1.2", a short digest for "app@sha256:...", else "latest". */
    static String imageTag(String image) {
        if (image == null) {
            return "unknown";
        }
        int at = image.indexOf('@');
        if (at >= 0) {
            String digest = image.substring(at + 1);
            int colon = digest.indexOf(':');
            String hex = colon >= 0 ? digest.substring(colon + 1) : digest;
            return hex.substring(0, Math.min(12, hex.length()));
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "latest";
    }

    static String hash(PodTemplateSpec template) {
        return hash(template, null);
    }

    static String hash(PodTemplateSpec template, String explicitVersion) {
        try {
            JsonNode tree = CANONICAL.valueToTree(template);
            String text = CANONICAL.writeValueAsString(CANONICAL.treeToValue(tree, Object.class));
            if (explicitVersion != null && !explicitVersion.isBlank()) {
                text = text + "\nversion=" + explicitVersion;
            }
            byte[] canonical = text.getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot hash pod template", e);
        }
    }
}
