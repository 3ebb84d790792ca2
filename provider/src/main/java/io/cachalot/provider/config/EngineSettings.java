package io.cachalot.provider.config;

import io.cachalot.core.config.Config;
import io.cachalot.core.config.ConfigException;
import io.cachalot.core.config.ConfigParam;
import io.cachalot.core.config.Settings;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of an engine that an application embeds, from {@code cachalot.engine.<parameter>}
 * values: the one path by which the JCache provider and the Spring Boot auto-configuration
 * configure their engine.
 *
 * <p>Parameter names are Redis' ({@code maxmemory}, {@code maxmemory-policy},
 * {@code requirepass}, ... as in redis.conf and docs/configuration.md), in any case. Since
 * Spring Boot hands over map keys as the user wrote them, a name is also recognised without its
 * dashes ({@code maxmemoryPolicy} in YAML, {@code maxmemory_policy}, or {@code maxmemory.policy}
 * from an environment variable). Values are parsed as in a config file ({@code 64mb},
 * {@code allkeys-lru}, {@code yes}).
 *
 * <p>A Redis parameter that Cachalot keeps without applying ({@code appendfsync},
 * {@code jemalloc-bg-thread}...) is logged as a warning; one that would turn on a feature not
 * built yet ({@code appendonly yes}) is refused. An unknown name, a value the parameter refuses, and the parameters an embedded engine
 * cannot honour ({@code port} and {@code bind}, which {@code cachalot.resp.*} sets;
 * {@code logfile} and {@code loglevel}, which the application's logging decides) fail with an
 * {@link IllegalArgumentException} whose message names the property.
 */
public final class EngineSettings {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineSettings.class);

    /** The prefix of engine parameters among a CacheManager's or an application's properties. */
    public static final String PREFIX = "cachalot.engine.";

    /** Parameters an embedded engine does not take, with what to use instead. */
    private static final Map<String, String> NOT_EMBEDDED = Map.of(
            "port", "the engine is served over RESP with cachalot.resp.port",
            "bind", "the engine is served over RESP on cachalot.resp.bind",
            "logfile", "an embedded engine logs through the application's SLF4J logging",
            "loglevel", "an embedded engine logs through the application's SLF4J logging: set the level of the "
                    + "io.cachalot loggers there");

    /** The parameters, to look names up in (never changed). */
    private static final Config NAMES = new Settings().config;

    /** Every name and alias, by its relaxed form (lower case, no '-', '_' or '.'). */
    private static final Map<String, String> BY_RELAXED_NAME = relaxedNames();

    private EngineSettings() {
    }

    /**
     * New engine settings with the given parameters applied, in order.
     *
     * @param parameters parameter name (without {@link #PREFIX}) to value
     * @throws IllegalArgumentException naming {@code cachalot.engine.<name>} when a name is unknown,
     *                                  not for an embedded engine, or its value is refused
     */
    public static Settings of(Map<String, String> parameters) {
        Settings settings = new Settings();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String given = e.getKey();
            String name = canonicalName(given);
            String property = PREFIX + given;
            if (name == null) {
                String near = nearest(given);
                throw new IllegalArgumentException(property + ": no such engine parameter"
                        + (near == null ? "" : " (did you mean " + PREFIX + near + "?)")
                        + "; the parameters are Redis' (see docs/configuration.md)");
            }
            String why = NOT_EMBEDDED.get(name);
            if (why != null) {
                throw new IllegalArgumentException(property + " is not an embedded engine's setting: " + why);
            }
            String earlier = seen.put(name, given);
            if (earlier != null) {
                throw new IllegalArgumentException(property + " sets " + name + " again (also set as "
                        + PREFIX + earlier + ")");
            }
            String value = e.getValue() == null ? "" : e.getValue().trim();
            try {
                settings.config.setAtStartup(name, value);
            } catch (ConfigException ex) {
                ConfigParam p = settings.config.find(name);
                String shown = p.has(ConfigParam.SENSITIVE) ? "(hidden)" : "'" + value + "'";
                throw new IllegalArgumentException(property + "=" + shown + ": " + ex.getMessage(), ex);
            }
            // a Redis parameter the engine keeps but does not apply: said once, as the server's loader does
            String ignored = settings.config.find(name).ignoredBecause();
            if (ignored != null) {
                LOG.warn("{}: accepted and ignored, {}", property, ignored);
            }
        }
        return settings;
    }

    /**
     * The engine's name of a parameter written {@code given} (any case; with or without its dashes),
     * or null when there is no such parameter.
     */
    public static String canonicalName(String given) {
        ConfigParam exact = NAMES.find(given);
        if (exact != null) {
            return exact.name();
        }
        return BY_RELAXED_NAME.get(relaxed(given));
    }

    private static String relaxed(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_' && c != '.') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    private static Map<String, String> relaxedNames() {
        Map<String, String> out = new HashMap<>();
        for (ConfigParam p : NAMES.all()) {
            for (String n : new String[] {p.name(), p.alias()}) {
                if (n != null && out.putIfAbsent(relaxed(n), p.name()) != null
                        && !out.get(relaxed(n)).equals(p.name())) {
                    throw new IllegalStateException("two engine parameters read alike: " + n);
                }
            }
        }
        return out;
    }

    /** The parameter name closest to {@code given} within two edits, or null. */
    private static String nearest(String given) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 3;
        for (ConfigParam p : NAMES.all()) {
            int d = distance(g, p.name());
            if (d < bestDistance) {
                bestDistance = d;
                best = p.name();
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
