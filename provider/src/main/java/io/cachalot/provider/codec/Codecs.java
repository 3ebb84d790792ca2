package io.cachalot.provider.codec;

import io.cachalot.core.util.Bytes;

import java.nio.charset.StandardCharsets;

/**
 * The default codecs: a declared type of {@code String}, {@code byte[]}, {@code Long},
 * {@code Integer}, {@code Short}, {@code Byte}, {@code Double}, {@code Float} or {@code Boolean}
 * is stored as readable text (or the raw bytes), so {@code redis-cli} shows it as it is; any other
 * declared type (including {@code Object}) goes through Java serialization with the cache
 * manager's class loader. Decoded Strings, numbers and Booleans are {@link Codec#immutable()}.
 */
public final class Codecs {
    private Codecs() {
    }

    /** The default codec for a declared key or value type. */
    @SuppressWarnings("unchecked")
    public static <T> Codec<T> forType(Class<T> type, ClassLoader loader) {
        if (type == String.class) {
            return (Codec<T>) STRING;
        }
        if (type == byte[].class) {
            return (Codec<T>) BYTES;
        }
        if (type == Long.class) {
            return (Codec<T>) LONG;
        }
        if (type == Integer.class) {
            return (Codec<T>) INTEGER;
        }
        if (type == Short.class) {
            return (Codec<T>) new TextCodec<>(Short::parseShort);
        }
        if (type == Byte.class) {
            return (Codec<T>) new TextCodec<>(Byte::parseByte);
        }
        if (type == Double.class) {
            return (Codec<T>) new TextCodec<>(Double::parseDouble);
        }
        if (type == Float.class) {
            return (Codec<T>) new TextCodec<>(Float::parseFloat);
        }
        if (type == Boolean.class) {
            return (Codec<T>) new TextCodec<>(Boolean::parseBoolean);
        }
        return new SerializingCodec<>(loader);
    }

    /**
     * A {@link JsonCodec} of values declared {@code type}, trusting the JDK's value types, {@code type}
     * and the given packages or classes; needs Jackson on the classpath.
     */
    public static <T> Codec<T> json(Class<T> type, ClassLoader loader, java.util.Collection<String> trusted) {
        return JsonCodec.builder(type).classLoader(loader).trust(trusted).build();
    }

    /** UTF-8 text. */
    public static final Codec<String> STRING = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        /** ASCII text (the usual key) is written straight after the prefix. */
        @Override
        public byte[] encode(String value, byte[] prefix) {
            int n = value.length();
            byte[] out = new byte[prefix.length + n];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                if (c >= 0x80) {
                    return Codec.super.encode(value, prefix);
                }
                out[prefix.length + i] = (byte) c;
            }
            return out;
        }

        @Override
        public String decode(byte[] bytes, int offset) {
            return new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8);
        }

        @Override
        public boolean immutable() {
            return true;
        }

        /** ASCII (the usual value) is its own Latin-1 text: copied without the UTF-8 decoder. */
        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, Bytes.isAscii(bytes)
                    ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
    };

    /** The bytes themselves (copied both ways, so the caller's array is never shared). */
    public static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value.clone();
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes.clone();
        }
    };

    /** An Integer as decimal text. */
    public static final Codec<Integer> INTEGER = new TextCodec<>(Integer::parseInt);

    /**
     * The class whose instances {@code codec} writes as plain decimal text (Long or Integer), or
     * null: keys of that class can be looked up without encoding them (the provider's number-key
     * path), the text being the same.
     */
    public static Class<?> decimalType(Codec<?> codec) {
        if (codec instanceof ReferenceKeyCodec) {
            codec = ((ReferenceKeyCodec<?>) codec).delegate();
        }
        return codec == LONG ? Long.class : codec == INTEGER ? Integer.class : null;
    }

    /** A Long as decimal text, written and parsed without intermediate strings. */
    public static final Codec<Long> LONG = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            return value.toString().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public byte[] encode(Long value, byte[] prefix) {
            long v = value;
            if (v == Long.MIN_VALUE) {
                return Codec.super.encode(value, prefix);
            }
            boolean neg = v < 0;
            long u = neg ? -v : v;
            int digits = digits(u);
            int len = prefix.length + digits + (neg ? 1 : 0);
            byte[] out = new byte[len];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            if (neg) {
                out[prefix.length] = '-';
            }
            int i = len - 1;
            // int arithmetic once the value fits (the JIT turns int division by a constant into a
            // multiply), two digits per division: a short dependent chain between look-ups
            while (u > Integer.MAX_VALUE) {
                out[i--] = (byte) ('0' + (u % 10));
                u /= 10;
            }
            int w = (int) u;
            while (w >= 100) {
                int q = w / 100;
                int r = (w - q * 100) << 1;
                out[i] = DIGIT_PAIRS[r + 1];
                out[i - 1] = DIGIT_PAIRS[r];
                i -= 2;
                w = q;
            }
            if (w >= 10) {
                out[i] = DIGIT_PAIRS[(w << 1) + 1];
                out[i - 1] = DIGIT_PAIRS[w << 1];
            } else {
                out[i] = (byte) ('0' + w);
            }
            return out;
        }

        @Override
        public Long decode(byte[] bytes) {
            return decode(bytes, 0);
        }

        @Override
        public boolean immutable() {
            return true;
        }

        @Override
        public Long decode(byte[] bytes, int offset) {
            return Long.parseLong(new String(bytes, offset, bytes.length - offset, StandardCharsets.US_ASCII));
        }
    };

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    /** "00", "01", ... "99": the two digits of each value below 100. */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /**
     * Decimal digits of a non-negative value: log10 estimated from the bit length, corrected by
     * one comparison (no division, no loop). {@code u | 1} has as many digits as {@code u}
     * (only an odd value can be one below a power of ten) and is never 0.
     */
    static int digits(long u) {
        long v = u | 1;
        int t = ((64 - Long.numberOfLeadingZeros(v)) * 1233) >>> 12;
        return t + (v >= POWERS_OF_TEN[t] ? 1 : 0);
    }

    /** A number or boolean as its decimal text (toString), parsed back by the given function. */
    private static final class TextCodec<T> implements Codec<T> {
        private final java.util.function.Function<String, T> parse;

        TextCodec(java.util.function.Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public byte[] encode(T value) {
            return value.toString().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public T decode(byte[] bytes) {
            return parse.apply(new String(bytes, StandardCharsets.US_ASCII));
        }

        /** Boxed numbers and Boolean. */
        @Override
        public boolean immutable() {
            return true;
        }
    }
}
