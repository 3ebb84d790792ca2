package io.cachalot.provider;

/**
 * A store-by-reference entry as the engine holds it: the key and value objects themselves, so
 * that reads and iteration hand back the very instances that were put.
 */
final class Ref {
    final Object key;
    final Object value;

    Ref(Object key, Object value) {
        this.key = key;
        this.value = value;
    }
}
