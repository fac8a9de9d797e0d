package dev.glidepath.sandbox.scale;

/**
 * The field selectors every kind supports: {@code metadata.name=x} and {@code metadata.namespace=x} (also with
 * {@code ==} and {@code !=}), comma-separated. Any other field is refused, as the API server refuses a field it
 * does not index.
 */
record FieldSelector(String name, boolean nameEquals, String namespace, boolean namespaceEquals) {
    static final FieldSelector EVERYTHING = new FieldSelector(null, true, null, true);

    static FieldSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        FieldSelector selector = EVERYTHING;
        for (String term : text.split(",")) {
            boolean negated = term.contains("!=");
            String[] kv = term.split(negated ? "!=" : "==?", 2);
            if (kv.length != 2) {
                throw ApiError.badRequest("invalid field selector: " + term);
            }
            String field = kv[0].trim();
            String value = kv[1].trim();
            selector = switch (field) {
                case "metadata.name" -> new FieldSelector(value, !negated, selector.namespace, selector.namespaceEquals);
                case "metadata.namespace" -> new FieldSelector(selector.name, selector.nameEquals, value, !negated);
                default -> throw ApiError.badRequest("field label not supported: " + field);
            };
        }
        return selector;
    }

    boolean matches(StoredObject o) {
        return (name == null || name.equals(o.name()) == nameEquals)
                && (namespace == null || namespace.equals(o.namespace()) == namespaceEquals);
    }
}
