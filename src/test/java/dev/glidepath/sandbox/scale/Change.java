package dev.glidepath.sandbox.scale;

/** A write as watches see it: ADDED, MODIFIED or DELETED, the object after it and (unless ADDED) before it. */
record Change(String type, StoredObject object, StoredObject previous) {
}
