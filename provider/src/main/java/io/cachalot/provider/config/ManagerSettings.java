package io.cachalot.provider.config;

import io.cachalot.core.config.Settings;
import io.cachalot.provider.codec.Codec;
import io.cachalot.provider.codec.Codecs;
import io.cachalot.provider.codec.SerializingCodec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of a JCache CacheManager from its properties, checked as a whole: every property
 * that starts with {@code cachalot.} must be one of Cachalot's, so that a misspelt one fails the
 * start with a message naming it instead of being ignored.
 * <ul>
 *   <li>{@code cachalot.engine.<parameter>}: the engine, see {@link EngineSettings};</li>
 *   <li>{@code cachalot.resp.port}, {@code cachalot.resp.bind}: serving the engine over RESP;</li>
 *   <li>{@code cachalot.codec} ({@code java} or {@code json}) and
 *       {@code cachalot.json.trusted-packages}: how values of types other than String, byte[],
 *       the boxed numbers and Boolean are stored, see {@link #valueCodec};</li>
 *   <li>{@code cachalot.cache.<name>.<setting>} and {@code cachalot.default.<setting>}: read per
 *       cache by {@link CacheSettings}; the setting must be one of {@link CacheSettings#NAMES}.</li>
 * </ul>
 */
public final class ManagerSettings {
    /** How values are encoded. */
    public enum ValueFormat {
        /** Java serialization (the default). */
        JAVA,
        /** JSON through Jackson, see {@link io.cachalot.provider.codec.JsonCodec}. */
        JSON
    }

    private final Settings engine;
    private final String respPort;
    private final String respBind;
    private final ValueFormat valueFormat;
    private final List<String> trustedPackages;
    private final RemoteSettings remote;

    private ManagerSettings(Settings engine, String respPort, String respBind, ValueFormat valueFormat,
                            List<String> trustedPackages, RemoteSettings remote) {
        this.remote = remote;
        this.engine = engine;
        this.respPort = respPort;
        this.respBind = respBind;
        this.valueFormat = valueFormat;
        this.trustedPackages = trustedPackages;
    }

    /**
     * Reads and checks a CacheManager's properties.
     *
     * @throws IllegalArgumentException naming the property that is unknown or whose value is refused
     */
    public static ManagerSettings of(Properties properties) {
        Map<String, String> engine = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(EngineSettings.PREFIX)) {
                engine.put(name.substring(EngineSettings.PREFIX.length()), properties.getProperty(name));
            } else if (name.startsWith("cachalot.") && !known(name)) {
                throw new IllegalArgumentException(name + ": no such Cachalot property (the CacheManager "
                        + "properties are cachalot.cache.<name>.<setting>, cachalot.default.<setting>, "
                        + "cachalot.engine.<parameter>, cachalot.resp.port/bind, cachalot.codec, "
                        + "cachalot.json.trusted-packages, cachalot.mode, cachalot.remote.uri/timeout/lock-lease/on-failure/near-cache-max-entries; "
                        + "see docs/configuration.md)");
            }
        }
        String codec = trimmed(properties.getProperty("cachalot.codec"));
        ValueFormat format = codec == null ? ValueFormat.JAVA : parseFormat(codec);
        List<String> trusted = new ArrayList<>();
        String packages = properties.getProperty("cachalot.json.trusted-packages");
        if (packages != null) {
            for (String p : packages.split(",")) {
                if (!p.isBlank()) {
                    trusted.add(p.trim());
                }
            }
        }
        if (format == ValueFormat.JSON) {
            requireJackson("cachalot.codec=json");
        }
        String port = trimmed(properties.getProperty("cachalot.resp.port"));
        String bind = trimmed(properties.getProperty("cachalot.resp.bind"));
        String mode = trimmed(properties.getProperty("cachalot.mode"));
        RemoteSettings remote = null;
        if (mode != null && mode.equalsIgnoreCase("remote")) {
            if (!engine.isEmpty() || port != null) {
                throw new IllegalArgumentException("cachalot.engine.* and cachalot.resp.* apply to the embedded "
                        + "engine; with cachalot.mode=remote the caches live on the server of cachalot.remote.uri");
            }
            remote = RemoteSettings.of(properties);
        } else if (mode != null && !mode.equalsIgnoreCase("embedded")) {
            throw new IllegalArgumentException("cachalot.mode must be embedded or remote: " + mode);
        } else {
            for (String name : properties.stringPropertyNames()) {
                if (name.startsWith("cachalot.remote.")) {
                    throw new IllegalArgumentException(name + " applies only with cachalot.mode=remote");
                }
            }
        }
        return new ManagerSettings(remote == null ? EngineSettings.of(engine) : null, port,
                bind == null ? "127.0.0.1" : bind, format, List.copyOf(trusted), remote);
    }

    /** The remote store's settings with {@code cachalot.mode=remote}, else null (embedded). */
    public RemoteSettings remote() {
        return remote;
    }

    private static boolean known(String name) {
        switch (name) {
            case "cachalot.resp.port":
            case "cachalot.resp.bind":
            case "cachalot.codec":
            case "cachalot.json.trusted-packages":
            case "cachalot.mode":
            case RemoteSettings.URI_PROPERTY:
            case RemoteSettings.TIMEOUT_PROPERTY:
            case RemoteSettings.LEASE_PROPERTY:
            case RemoteSettings.ON_FAILURE_PROPERTY:
            case RemoteSettings.NEAR_PROPERTY:
                return true;
            default:
                break;
        }
        if (name.startsWith("cachalot.default.")) {
            return CacheSettings.NAMES.contains(name.substring("cachalot.default.".length()));
        }
        if (name.startsWith("cachalot.cache.")) {
            String rest = name.substring("cachalot.cache.".length());
            int dot = rest.lastIndexOf('.');
            return dot > 0 && CacheSettings.NAMES.contains(rest.substring(dot + 1));
        }
        return false;
    }

    /** Parses a value format name ({@code java} or {@code json}, any case). */
    public static ValueFormat parseFormat(String name) {
        try {
            return ValueFormat.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cachalot.codec must be java or json: " + name);
        }
    }

    /** Fails with a message when Jackson is not on the classpath. */
    private static void requireJackson(String what) {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, ManagerSettings.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(what + " needs Jackson on the classpath "
                    + "(com.fasterxml.jackson.core:jackson-databind)");
        }
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }

    /** The engine's settings ({@code cachalot.engine.*} applied); null in remote mode. */
    public Settings engine() {
        return engine;
    }

    /** {@code cachalot.resp.port} as given, or null when the engine is not served. */
    public String respPort() {
        return respPort;
    }

    /** {@code cachalot.resp.bind} (default 127.0.0.1). */
    public String respBind() {
        return respBind;
    }

    /** {@code cachalot.codec} (default {@link ValueFormat#JAVA}). */
    public ValueFormat valueFormat() {
        return valueFormat;
    }

    /** {@code cachalot.json.trusted-packages}, split at commas. */
    public List<String> trustedPackages() {
        return trustedPackages;
    }

    /**
     * The default value codec of a cache whose values are declared {@code type}: readable text for
     * String, the boxed numbers and Boolean, the raw bytes for byte[]; other types Java-serialized,
     * or as JSON with {@code cachalot.codec=json} (trusting the declared type, the JDK's value types
     * and {@code cachalot.json.trusted-packages}).
     */
    public <T> Codec<T> valueCodec(Class<T> type, ClassLoader loader) {
        Codec<T> codec = Codecs.forType(type, loader);
        if (valueFormat == ValueFormat.JSON && codec instanceof SerializingCodec) {
            return Codecs.json(type, loader, trustedPackages);
        }
        return codec;
    }
}
