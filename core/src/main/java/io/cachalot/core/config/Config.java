package io.cachalot.core.config;

import io.cachalot.core.util.Glob;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry of configuration parameters, with the semantics of Redis' CONFIG GET (patterns,
 * aliases) and CONFIG SET (several parameters at once, all or nothing).
 */
public final class Config {
    private final Map<String, ConfigParam> byName = new LinkedHashMap<>();
    private final List<ConfigParam> params = new ArrayList<>();

    public <T extends ConfigParam> T add(T p) {
        if (byName.putIfAbsent(p.name, p) != null) {
            throw new IllegalArgumentException("duplicate config " + p.name);
        }
        if (p.alias != null) {
            byName.put(p.alias, p);
        }
        params.add(p);
        return p;
    }

    /** A parameter by name or alias, ignoring case; null when unknown. */
    public ConfigParam find(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    public List<ConfigParam> all() {
        return params;
    }

    /**
     * CONFIG GET: the name/value pairs matching any of the patterns. A name without glob
     * characters is looked up directly and answered under the name as given.
     */
    public List<String[]> get(List<String> patterns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pattern : patterns) {
            if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
                ConfigParam p = find(pattern);
                if (p != null && !containsIgnoreCase(out, pattern)) {
                    out.put(pattern, p.get());
                }
                continue;
            }
            Glob g = new Glob(pattern.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), true);
            for (Map.Entry<String, ConfigParam> e : byName.entrySet()) {
                String key = e.getKey();
                if (!out.containsKey(key) && !e.getValue().has(ConfigParam.HIDDEN) && g.matches(key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))) {
                    out.put(key, e.getValue().get());
                }
            }
        }
        List<String[]> r = new ArrayList<>(out.size());
        for (Map.Entry<String, String> e : out.entrySet()) {
            r.add(new String[] {e.getKey(), e.getValue()});
        }
        return r;
    }

    private static boolean containsIgnoreCase(Map<String, String> m, String k) {
        for (String s : m.keySet()) {
            if (s.equalsIgnoreCase(k)) {
                return true;
            }
        }
        return false;
    }

    /**
     * CONFIG SET with name/value pairs: validates all, then applies all, restoring the old values
     * if one fails. Returns null on success or the complete error message (without "ERR ").
     */
    public synchronized String set(List<String[]> pairs, boolean protectedAllowed) {
        int n = pairs.size();
        ConfigParam[] targets = new ConfigParam[n];
        String unknown = null;
        String errArg = null;
        String err = null;
        for (int i = 0; i < n; i++) {
            String name = pairs.get(i)[0];
            ConfigParam p = find(name);
            if (p == null) {
                if (unknown == null && errArg == null) {
                    unknown = name;
                }
                continue;
            }
            if (unknown != null || errArg != null) {
                continue;
            }
            if (p.has(ConfigParam.IMMUTABLE) || (p.has(ConfigParam.PROTECTED) && !protectedAllowed)) {
                err = p.has(ConfigParam.IMMUTABLE) ? "can't set immutable config" : "can't set protected config";
                errArg = name;
                continue;
            }
            for (int j = 0; j < i; j++) {
                if (targets[j] == p) {
                    err = "duplicate parameter";
                    errArg = name;
                    break;
                }
            }
            targets[i] = p;
        }
        if (unknown != null) {
            return "Unknown option or number of arguments for CONFIG SET - '" + unknown + "'";
        }
        if (errArg != null) {
            return "CONFIG SET failed (possibly related to argument '" + errArg + "') - " + err;
        }
        Object[] parsed = new Object[n];
        for (int i = 0; i < n; i++) {
            try {
                parsed[i] = targets[i].check(pairs.get(i)[1]);
            } catch (ConfigException e) {
                return "CONFIG SET failed (possibly related to argument '" + targets[i].name + "') - " + e.getMessage();
            }
        }
        String[] old = new String[n];
        for (int i = 0; i < n; i++) {
            old[i] = targets[i].get();
        }
        int applied = 0;
        try {
            for (; applied < n; applied++) {
                targets[applied].apply(parsed[applied]);
                targets[applied].changed();
            }
        } catch (RuntimeException e) {
            for (int i = 0; i <= applied && i < n; i++) {
                try {
                    targets[i].apply(targets[i].parse(old[i]));
                    targets[i].changed();
                } catch (ConfigException | RuntimeException ignored) {
                    // the old value was valid before; nothing better to do
                }
            }
            return "CONFIG SET failed (possibly related to argument '" + targets[Math.min(applied, n - 1)].name + "') - "
                    + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return null;
    }

    /** Sets a value at start-up (file or command line): immutable parameters are allowed. */
    public void setAtStartup(String name, String value) throws ConfigException {
        ConfigParam p = find(name);
        if (p == null) {
            throw new ConfigException("Bad directive or wrong number of arguments");
        }
        p.set(value);
    }

    }
