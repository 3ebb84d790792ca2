package io.cachalot.provider;

/**
 * A byte[] value of a store-by-reference cache, wrapped so that the engine keeps it as an object
 * held by reference rather than as an encoded string value.
 */
final class Ref {
    final Object value;

    Ref(Object value) {
        this.value = value;
    }
}
