package io.cachalot.provider.codec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.jsontype.impl.ClassNameIdResolver;
import com.fasterxml.jackson.databind.type.TypeFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Values as JSON (Jackson), readable with {@code redis-cli GET}, with the type information needed
 * to read them back as the classes they were written as.
 *
 * <p>Type information: wherever the declared type does not tell the class (the root of an
 * {@code Object}-typed cache, a field or element typed {@code Object}, an interface or a non-final
 * class), Jackson's default typing ({@code NON_FINAL}) names the class: an object gets an
 * {@code "@class"} property, a collection or a scalar is wrapped as {@code ["class", value]}. A
 * record {@code Book(String isbn, String title)} in an {@code Object}-typed cache is stored as
 * {@code {"@class":"com.example.Book","isbn":"978-0441013593","title":"Dune"}}; a list of them as
 * {@code ["java.util.ArrayList",[{"isbn":...},...]]} when the list's element type is the record
 * (final), with {@code "@class"} in each element otherwise. Strings, booleans, ints and doubles
 * are natural JSON values and carry no class.
 *
 * <p>Safety: a class named in stored JSON is instantiated only when it is trusted, so that a value
 * written over RESP cannot make the application build an arbitrary class (the hazard of
 * unrestricted polymorphic typing and of Java deserialization). Trusted are: the JDK's value
 * types ({@code java.lang} boxes and {@code String}, {@code java.math.BigDecimal/BigInteger},
 * {@code java.time}, {@code java.util.UUID/Date}, the {@code java.util} lists, sets, maps and
 * deques, and the immutable and unmodifiable collections of {@code List.of}, {@code Map.of},
 * {@code Collections.unmodifiable*}, {@code Arrays.asList}), the declared type of the codec,
 * and the packages (or classes) given to {@link Builder#trust}, subpackages and nested classes
 * included. The same rule applies when writing: a value whose JSON would name an untrusted
 * class is refused at once with a message naming it, instead of being stored unreadable.
 *
 * <p>Needs {@code com.fasterxml.jackson.core:jackson-databind} on the classpath (an optional
 * dependency of the provider: an application without Jackson uses the other codecs).
 *
 * @param <T> the declared type of the values
 */
public final class JsonCodec<T> implements Codec<T> {
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /** Exact JDK classes always trusted. */
    private static final List<String> JDK_CLASSES = List.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Character", "java.lang.Byte", "java.lang.Short",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
            "java.math.BigDecimal", "java.math.BigInteger",
            "java.util.UUID", "java.util.Date",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.Arrays$ArrayList");

    /** Prefixes of JDK class names always trusted (immutable collections, java.time). */
    private static final List<String> JDK_PREFIXES = List.of(
            "java.util.ImmutableCollections$", "java.util.Collections$Unmodifiable",
            "java.util.Collections$Singleton", "java.util.Collections$Empty", "java.time.");

    private final Class<T> type;
    private final List<String> trusted;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final T nullValue;

    private JsonCodec(Builder<T> b) {
        this.type = b.type;
        this.nullValue = b.nullValue;
        List<String> t = new ArrayList<>(b.trusted);
        if (b.type != Object.class) {
            t.add(b.type.getName());
        }
        this.trusted = List.copyOf(t);
        ObjectMapper mapper = b.mapper != null ? b.mapper.copy() : new ObjectMapper().findAndRegisterModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        if (b.classLoader != null) {
            mapper.setTypeFactory(mapper.getTypeFactory().withClassLoader(b.classLoader));
        }
        PolymorphicTypeValidator validator = new PolymorphicTypeValidator.Base() {
            @Override
            public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
                return isTrusted(subClassName) ? Validity.ALLOWED : Validity.DENIED;
            }

            @Override
            public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
                return isTrusted(subType.getRawClass().getName()) ? Validity.ALLOWED : Validity.DENIED;
            }
        };
        mapper.setDefaultTyping(new TrustedTyping(validator, this).init(JsonTypeInfo.Id.CLASS, null)
                .inclusion(JsonTypeInfo.As.PROPERTY));
        this.writer = mapper.writerFor(b.type);
        this.reader = mapper.readerFor(b.type);
    }

    /** A codec of values declared as {@code type} ({@code Object.class} for any value). */
    public static <T> Builder<T> builder(Class<T> type) {
        return new Builder<>(type);
    }

    /** The packages and classes trusted besides the JDK's value types. */
    public List<String> trusted() {
        return trusted;
    }

    @Override
    public byte[] encode(T value) {
        if (value == null || (nullValue != null && value == nullValue)) {
            return NULL.clone();
        }
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            Untrusted u = find(e, Untrusted.class);
            if (u != null) {
                throw new IllegalArgumentException(u.getMessage(), e);
            }
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        if (Arrays.equals(bytes, NULL)) {
            return nullValue;
        }
        try {
            return reader.readValue(bytes);
        } catch (InvalidTypeIdException e) {
            String id = e.getTypeId();
            if (id != null && !isTrusted(id)) {
                throw new javax.cache.CacheException("cannot read a cached value as JSON: it names " + id
                        + ", which is not trusted; " + howToTrust(id), e);
            }
            throw new javax.cache.CacheException("cannot read a cached value as JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new javax.cache.CacheException("cannot read a cached value as JSON ("
                    + type.getName() + "): " + e.getMessage(), e);
        }
    }

    /** Whether JSON may name this class (a {@code Class.getName()}, arrays included). */
    boolean isTrusted(String className) {
        String n = elementName(className);
        if (n.isEmpty()) {
            return true; // an array of primitives
        }
        if (JDK_CLASSES.contains(n)) {
            return true;
        }
        for (String p : JDK_PREFIXES) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        for (String t : trusted) {
            if (n.equals(t) || (n.startsWith(t) && (n.charAt(t.length()) == '.' || n.charAt(t.length()) == '$'))) {
                return true;
            }
        }
        return false;
    }

    /** The class of an array's elements ("" for primitives), or the class name itself. */
    private static String elementName(String className) {
        if (!className.startsWith("[")) {
            return className;
        }
        String n = className.substring(className.lastIndexOf('[') + 1);
        return n.startsWith("L") && n.endsWith(";") ? n.substring(1, n.length() - 1) : "";
    }

    private static String howToTrust(String className) {
        String n = elementName(className);
        int dot = n.lastIndexOf('.');
        return "add its package (" + (dot < 0 ? n : n.substring(0, dot)) + ") to cachalot.json.trusted-packages";
    }

    private static <E extends Throwable> E find(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** A class that the JSON of a value would name but that is not trusted. */
    private static final class Untrusted extends RuntimeException {
        Untrusted(String message) {
            super(message, null, false, false);
        }
    }

    /** Jackson's NON_FINAL default typing, whose class names are checked when written too. */
    private static final class TrustedTyping extends ObjectMapper.DefaultTypeResolverBuilder {
        private static final long serialVersionUID = 1L;
        private final transient JsonCodec<?> codec;

        TrustedTyping(PolymorphicTypeValidator validator, JsonCodec<?> codec) {
            super(ObjectMapper.DefaultTyping.NON_FINAL, validator);
            this.codec = codec;
        }

        @Override
        protected TypeIdResolver idResolver(MapperConfig<?> config, JavaType baseType,
                                            PolymorphicTypeValidator validator, Collection<NamedType> subtypes,
                                            boolean forSer, boolean forDeser) {
            return new CheckedNames(baseType, config.getTypeFactory(), validator, codec);
        }
    }

    /** Class names as type ids, refusing to write an untrusted one. */
    private static final class CheckedNames extends ClassNameIdResolver {
        private static final long serialVersionUID = 1L;
        private final transient JsonCodec<?> codec;

        CheckedNames(JavaType baseType, TypeFactory typeFactory, PolymorphicTypeValidator validator,
                     JsonCodec<?> codec) {
            super(baseType, typeFactory, validator);
            this.codec = codec;
        }

        @Override
        public String idFromValue(Object value) {
            return checked(super.idFromValue(value));
        }

        @Override
        public String idFromValueAndType(Object value, Class<?> type) {
            return checked(super.idFromValueAndType(value, type));
        }

        private String checked(String id) {
            if (!codec.isTrusted(id)) {
                throw new Untrusted("cannot store a " + id + " as JSON: the class is not trusted to be read back; "
                        + howToTrust(id));
            }
            return id;
        }
    }

    /** Builds a {@link JsonCodec}. */
    public static final class Builder<T> {
        private final Class<T> type;
        private final List<String> trusted = new ArrayList<>();
        private ObjectMapper mapper;
        private ClassLoader classLoader;
        private T nullValue;

        private Builder(Class<T> type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * The mapper whose modules and settings to use (copied, then given Cachalot's typing);
         * default: a new {@code ObjectMapper} with the modules found on the classpath
         * ({@code findAndRegisterModules()}, e.g. java.time support when jackson-datatype-jsr310 is there)
         * that writes dates and durations as ISO-8601 text rather than numbers.
         */
        public Builder<T> objectMapper(ObjectMapper mapper) {
            this.mapper = mapper;
            return this;
        }

        /**
         * Trusts the classes of these packages (and their subpackages), or these classes (and their
         * nested classes), given by name: {@code "com.example.books"}, {@code "com.example.Book"}.
         */
        public Builder<T> trust(Collection<String> packagesOrClasses) {
            for (String p : packagesOrClasses) {
                String s = p.trim();
                if (s.endsWith(".*")) {
                    s = s.substring(0, s.length() - 2);
                }
                if (s.isEmpty() || s.equals("*") || s.equals("java") || s.equals("javax")) {
                    throw new IllegalArgumentException("cannot trust '" + p + "' for JSON values: name the "
                            + "application's packages (com.example.model) or classes");
                }
                trusted.add(s);
            }
            return this;
        }

        /** See {@link #trust(Collection)}. */
        public Builder<T> trust(String... packagesOrClasses) {
            return trust(Arrays.asList(packagesOrClasses));
        }

        /** The class loader that finds the classes named in the JSON (default: Jackson's, the thread's context loader). */
        public Builder<T> classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /**
         * The object stored as JSON {@code null} and decoded from it (e.g. Spring's
         * {@code NullValue.INSTANCE}); default: {@code null} itself.
         */
        public Builder<T> nullValue(T nullValue) {
            this.nullValue = nullValue;
            return this;
        }

        /** The codec (its mapper is configured once, here). */
        public JsonCodec<T> build() {
            return new JsonCodec<>(this);
        }
    }
}
