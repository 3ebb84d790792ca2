package io.cachalot.core.config;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * One configuration parameter: its name (and legacy alias), how a value is parsed and printed,
 * and what applying it changes. Values live in volatile fields so that hot paths read them
 * without locking.
 */
public abstract class ConfigParam {
    /** Can only be set at start-up (config file or command line). */
    public static final int IMMUTABLE = 1;
    /** Hidden from logs (requirepass ...). */
    public static final int SENSITIVE = 1 << 1;
    /** Accepted in the file but refused by CONFIG SET unless enable-protected-configs allows it. */
    public static final int PROTECTED = 1 << 2;
    /** Takes several words in a config file line ("save 900 1", "bind a b"), joined by spaces. */
    public static final int MULTI_ARG = 1 << 3;
    /** Left out of CONFIG GET patterns (Redis' test-only parameters); found by its exact name. */
    public static final int HIDDEN = 1 << 4;

    final String name;
    final String alias;
    final int flags;
    private Consumer<ConfigParam> onChange;
    /** Why a value, though accepted, changes nothing here (null: the value is applied). */
    private String ignoredBecause;
    /** Values that would turn on a feature Cachalot has not built yet, refused with {@link #unbuiltMessage}. */
    private java.util.function.Predicate<String> enablesUnbuilt;
    private String unbuiltMessage;

    protected ConfigParam(String name, String alias, int flags) {
        this.name = name;
        this.alias = alias;
        this.flags = flags;
    }

    public String name() {
        return name;
    }

    public String alias() {
        return alias;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Runs after every change of the value (CONFIG SET or start-up). */
    public ConfigParam onChange(Consumer<ConfigParam> listener) {
        Consumer<ConfigParam> prev = onChange;
        onChange = prev == null ? listener : prev.andThen(listener);
        return this;
    }

    /**
     * Marks a parameter that Redis has and Cachalot accepts without acting on it: the value is
     * kept (CONFIG GET, CONFIG REWRITE) and the configuration file loader logs {@code reason} once.
     */
    public ConfigParam ignored(String reason) {
        this.ignoredBecause = reason;
        return this;
    }

    /** Why this parameter's value changes nothing here, or null when it is applied. */
    public String ignoredBecause() {
        return ignoredBecause;
    }

    /**
     * Refuses the values that would turn on a feature not built yet ({@code enables} sees the
     * value as given), with {@code message}; other values are accepted.
     */
    public ConfigParam unbuilt(java.util.function.Predicate<String> enables, String message) {
        this.enablesUnbuilt = enables;
        this.unbuiltMessage = message;
        return this;
    }

    /** Parses a value, refusing one that needs an unbuilt feature. */
    final Object check(String value) throws ConfigException {
        Object v = parse(value);
        if (enablesUnbuilt != null && enablesUnbuilt.test(value)) {
            throw new ConfigException(unbuiltMessage);
        }
        return v;
    }

    /** The value as CONFIG GET prints it. */
    public abstract String get();

    /** The default, as CONFIG GET would print it. */
    public abstract String defaultValue();

    /** The values CONFIG REWRITE writes, one configuration line each. */
    public java.util.List<String> rewriteValues() {
        return java.util.List.of(get());
    }

    /** Parses a value without applying it. */
    protected abstract Object parse(String value) throws ConfigException;

    /** Applies a value that {@link #parse} accepted. */
    protected abstract void apply(Object parsed);

    /** Parses and applies, then notifies the listener. */
    public void set(String value) throws ConfigException {
        Object v = check(value);
        apply(v);
        changed();
    }

    final void changed() {
        if (onChange != null) {
            onChange.accept(this);
        }
    }

    // ------------------------------------------------------------------ types

    /** yes/no. */
    public static class Bool extends ConfigParam {
        private final boolean dflt;
        private volatile boolean value;

        public Bool(String name, String alias, int flags, boolean dflt) {
            super(name, alias, flags);
            this.dflt = dflt;
            this.value = dflt;
        }

        public boolean value() {
            return value;
        }

        @Override
        public String get() {
            return value ? "yes" : "no";
        }

        @Override
        public String defaultValue() {
            return dflt ? "yes" : "no";
        }

        @Override
        protected Object parse(String v) throws ConfigException {
            String l = v.toLowerCase(Locale.ROOT);
            if (l.equals("yes")) {
                return Boolean.TRUE;
            }
            if (l.equals("no")) {
                return Boolean.FALSE;
            }
            throw new ConfigException("argument must be 'yes' or 'no'");
        }

        @Override
        protected void apply(Object parsed) {
            value = (Boolean) parsed;
        }
    }

    /** A signed integer within bounds, written in canonical decimal. */
    public static class Int extends ConfigParam {
        final long min;
        final long max;
        private final long dflt;
        private volatile long value;

        public Int(String name, String alias, int flags, long min, long max, long dflt) {
            super(name, alias, flags);
            this.min = min;
            this.max = max;
            this.dflt = dflt;
            this.value = dflt;
        }

        public long value() {
            return value;
        }

        public int intValue() {
            return (int) value;
        }

        @Override
        public String get() {
            return Long.toString(value);
        }

        @Override
        public String defaultValue() {
            return Long.toString(dflt);
        }

        @Override
        protected Object parse(String v) throws ConfigException {
            long n = parseNumber(v);
            if (n < min || n > max) {
                throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
            }
            return n;
        }

        long parseNumber(String v) throws ConfigException {
            byte[] b = v.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!io.cachalot.core.util.Numbers.isLong(b)) {
                throw new ConfigException("argument couldn't be parsed into an integer");
            }
            return io.cachalot.core.util.Numbers.parseLong(b);
        }

        @Override
        protected void apply(Object parsed) {
            value = (Long) parsed;
        }
    }

    /** A number of bytes: digits with an optional unit b, k, kb, m, mb, g, gb (k = 1000, kb = 1024). */
    public static final class Memory extends Int {
        public Memory(String name, String alias, int flags, long min, long max, long dflt) {
            super(name, alias, flags, min, max, dflt);
        }

        /** Redis writes memory values back in the largest of gb, mb, kb that divides them. */
        @Override
        public java.util.List<String> rewriteValues() {
            return java.util.List.of(format(value()));
        }

        /** Redis' rewriteConfigFormatMemory: the largest of gb, mb, kb that divides the value. */
        public static String format(long bytes) {
            long[] units = {1024L * 1024 * 1024, 1024L * 1024, 1024L};
            String[] names = {"gb", "mb", "kb"};
            for (int i = 0; i < units.length; i++) {
                if (bytes != 0 && bytes % units[i] == 0) {
                    return bytes / units[i] + names[i];
                }
            }
            return Long.toString(bytes);
        }

        @Override
        long parseNumber(String v) throws ConfigException {
            long n = parseMemory(v);
            if (n < 0) {
                throw new ConfigException("argument must be a memory value");
            }
            return n;
        }

        /** Redis' memtoull: -1 when the string is not a memory value. */
        public static long parseMemory(String v) {
            int i = 0;
            if (!v.isEmpty() && v.charAt(0) == '-') {
                return -1;
            }
            while (i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
                i++;
            }
            String unit = v.substring(i).toLowerCase(Locale.ROOT);
            long mul;
            switch (unit) {
                case "":
                case "b": mul = 1; break;
                case "k": mul = 1000L; break;
                case "kb": mul = 1024L; break;
                case "m": mul = 1000L * 1000; break;
                case "mb": mul = 1024L * 1024; break;
                case "g": mul = 1000L * 1000 * 1000; break;
                case "gb": mul = 1024L * 1024 * 1024; break;
                default: return -1;
            }
            if (i >= 128) {
                return -1;
            }
            long n = 0;
            for (int j = 0; j < i; j++) {
                n = n * 10 + (v.charAt(j) - '0');
            }
            return n * mul;
        }
    }

    /** One of a fixed set of lower-case names. */
    public static final class Enum extends ConfigParam {
        private final String[] values;
        private final String dflt;
        private volatile String value;

        public Enum(String name, String alias, int flags, String dflt, String... values) {
            super(name, alias, flags);
            this.values = values;
            this.dflt = dflt;
            this.value = dflt;
        }

        public String value() {
            return value;
        }

        @Override
        public String get() {
            return value;
        }

        @Override
        public String defaultValue() {
            return dflt;
        }

        @Override
        protected Object parse(String v) throws ConfigException {
            for (String s : values) {
                if (s.equalsIgnoreCase(v)) {
                    return s;
                }
            }
            throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", values));
        }

        @Override
        protected void apply(Object parsed) {
            value = (String) parsed;
        }
    }

    /** A free-form string, optionally checked by a validator that returns an error text or null. */
    public static class Text extends ConfigParam {
        private volatile String dflt;
        private final java.util.function.Function<String, String> validator;
        private volatile String value;

        public Text(String name, String alias, int flags, String dflt,
                    java.util.function.Function<String, String> validator) {
            super(name, alias, flags);
            this.dflt = dflt;
            this.value = dflt;
            this.validator = validator;
        }

        public String value() {
            return value;
        }

        @Override
        public String get() {
            return value;
        }

        @Override
        public String defaultValue() {
            return dflt;
        }

        /** Gives the parameter another default (and value), before any configuration is read. */
        void resetDefault(String d) {
            dflt = d;
            value = d;
        }

        @Override
        protected Object parse(String v) throws ConfigException {
            if (validator != null) {
                String err = validator.apply(v);
                if (err != null) {
                    throw new ConfigException(err);
                }
            }
            return v;
        }

        @Override
        protected void apply(Object parsed) {
            value = (String) parsed;
        }
    }
}
