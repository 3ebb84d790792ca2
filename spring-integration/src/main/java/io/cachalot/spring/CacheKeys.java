package io.cachalot.spring;

import org.springframework.cache.interceptor.SimpleKey;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Spring cache keys as engine key text (readable from redis-cli, as Spring Data Redis writes
 * them): strings, numbers, booleans, characters, enums, UUIDs, SimpleKey and any object that
 * declares its own {@code toString()}; other keys are refused with a clear message, since an
 * identity-based {@code toString()} would never find the entry again.
 */
final class CacheKeys {
    private static final ClassValue<Boolean> DECLARES_TO_STRING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("toString").getDeclaringClass() != Object.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    };

    private CacheKeys() {
    }

    static String text(Object key) {
        if (key instanceof String) {
            return (String) key;
        }
        if (key instanceof Number || key instanceof Boolean || key instanceof Character || key instanceof Enum
                || key instanceof UUID || key instanceof SimpleKey || DECLARES_TO_STRING.get(key.getClass())) {
            return key.toString();
        }
        throw new IllegalArgumentException("cannot use a " + key.getClass().getName()
                + " as a cache key: it has no toString() of its own to name the entry");
    }

    /** prefix + key text, in one array. */
    static byte[] bytes(byte[] prefix, Object key) {
        byte[] k = text(key).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + k.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(k, 0, out, prefix.length, k.length);
        return out;
    }
}
