package io.cachalot.provider.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Java serialization; classes are resolved with the cache manager's class loader first (as
 * JSR-107 requires), then the default resolution.
 */
public final class SerializingCodec<T> implements Codec<T> {
    private final ClassLoader loader;

    public SerializingCodec(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public byte[] encode(T value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName()
                    + " for a store-by-value cache: " + e, e);
        }
        return out.toByteArray();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T decode(byte[] bytes) {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return (T) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new javax.cache.CacheException("cannot deserialize a cached value: " + e, e);
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // fall back to the default resolution below
                }
            }
            return super.resolveClass(desc);
        }
    }
}
