package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Reads the specs and statuses of Glidepath's resources (Releases, Rollouts, Freezes) so that one object never stops the informer that
 * serves all of them. An unknown field (a CRD newer than the operator, a typo when the schema was bypassed)
 * is skipped with one log line. A value its Java type cannot hold (an int64 beyond int32, text where a
 * number belongs) gives an empty object marked {@link MaybeUnreadable#unreadable()} with the field's path, which
 * the operator reports on that object while every other object goes on.
 */
abstract class TolerantDeserializer<T extends MaybeUnreadable> extends StdDeserializer<T> {
    private static final Logger LOG = Logger.getLogger(TolerantDeserializer.class);
    private static final Set<String> LOGGED_UNKNOWN = ConcurrentHashMap.newKeySet();
    /** Reads the classes themselves, without this deserializer (no recursion), skipping unknown fields. */
    private static final ObjectMapper PLAIN = plainMapper();

    private final Class<T> type;
    private final String root;
    private final Supplier<T> empty;

    TolerantDeserializer(Class<T> type, String root, Supplier<T> empty) {
        super(type);
        this.type = type;
        this.root = root;
        this.empty = empty;
    }

    @Override
    public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        // A copy of the value's tokens (much cheaper than a tree of nodes), read again by the plain mapper.
        TokenBuffer tokens = context.bufferAsCopyOfValue(parser);
        try (JsonParser copy = tokens.asParser(PLAIN)) {
            copy.nextToken();
            return PLAIN.readValue(copy, type);
        } catch (JsonMappingException e) {
            T unreadable = empty.get();
            unreadable.markUnreadable(path(root, e) + ": " + firstLine(e.getOriginalMessage()));
            LOG.warnf("cannot read %s: %s", root, unreadable.unreadable().orElse(""));
            return unreadable;
        }
    }

    /** The JSON path of the value that failed after {@code root}, e.g. {@code spec.service.ports[0].port}. */
    static String path(String root, JsonMappingException e) {
        StringBuilder b = new StringBuilder(root);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                b.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "cannot be read";
        }
        String line = message.lines().findFirst().orElse(message);
        int source = line.indexOf(" at [Source");
        return source > 0 ? line.substring(0, source) : line;
    }

    private static ObjectMapper plainMapper() {
        ObjectMapper mapper = Serialization.jsonMapper().copy();
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        for (Class<?> c : new Class<?>[] {ReleaseSpec.class, ReleaseStatus.class, RolloutSpec.class, RolloutStatus.class, FreezeSpec.class}) {
            mapper.addMixIn(c, Plain.class);
        }
        mapper.addHandler(new DeserializationProblemHandler() {
            @Override
            public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                    Object beanOrClass, String propertyName) throws IOException {
                String owner = beanOrClass instanceof Class<?> c ? c.getSimpleName() : beanOrClass.getClass().getSimpleName();
                if (LOGGED_UNKNOWN.add(owner + "." + propertyName)) {
                    LOG.warnf("ignoring unknown field '%s' of %s (a newer CRD, or a field this operator does not know)",
                            propertyName, owner);
                }
                p.skipChildren();
                return true;
            }
        });
        return mapper;
    }

    @JsonDeserialize(using = JsonDeserializer.None.class)
    private abstract static class Plain {
    }

    static final class ReleaseSpecs extends TolerantDeserializer<ReleaseSpec> {
        ReleaseSpecs() {
            super(ReleaseSpec.class, "spec", ReleaseSpec::new);
        }
    }

    static final class ReleaseStatuses extends TolerantDeserializer<ReleaseStatus> {
        ReleaseStatuses() {
            super(ReleaseStatus.class, "status", ReleaseStatus::new);
        }
    }

    static final class RolloutSpecs extends TolerantDeserializer<RolloutSpec> {
        RolloutSpecs() {
            super(RolloutSpec.class, "spec", RolloutSpec::new);
        }
    }

    static final class FreezeSpecs extends TolerantDeserializer<FreezeSpec> {
        FreezeSpecs() {
            super(FreezeSpec.class, "spec", FreezeSpec::new);
        }
    }

    static final class RolloutStatuses extends TolerantDeserializer<RolloutStatus> {
        RolloutStatuses() {
            super(RolloutStatus.class, "status", RolloutStatus::new);
        }
    }
}
