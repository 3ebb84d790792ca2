package io.cachalot.server.config;

import io.cachalot.core.Engine;
import io.cachalot.core.config.ConfigException;
import io.cachalot.core.config.ConfigParam;
import io.cachalot.core.config.Settings;
import io.cachalot.core.command.Repr;
import io.cachalot.core.util.ArgSplitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Configuration in redis.conf syntax, read as redis-server reads it: the file, then standard
 * input ({@code -}), then the command-line options ({@code --port 7000}) turned into lines, all
 * one text whose line numbers the error message gives; one directive per line with its
 * arguments (split and unquoted as Redis does), '#' comments, {@code include} (with wildcards).
 * Every parameter of Redis 7.0 is accepted; those Cachalot does not apply are reported back
 * (one line each) for the log.
 */
public final class ConfigFile {
    /** A refused configuration: the message is redis-server's block, ready for standard error. */
    public static final class ConfigError extends Exception {
        public ConfigError(String message) {
            super(message);
        }
    }

    /** Redis 7.0's retired parameters, still accepted (with one argument) and ignored. */
    private static final Set<String> DEPRECATED = Set.of("list-max-ziplist-entries", "list-max-ziplist-value",
            "lua-replicate-commands");

    private final Settings settings;
    /**
     * A directive accepted but not applied, for the log: a warning, or a notice when the value is
     * Redis' default (setting it changes nothing that Cachalot would do otherwise).
     */
    public record NotApplied(String line, boolean atDefault) {
    }

    /** The directives accepted but not applied, once each (the last value wins). */
    private final Map<String, NotApplied> ignored = new LinkedHashMap<>();
    /** "save" lines seen so far (the first replaces the defaults, later ones add to it). */
    private int savePointsSeen;

    private ConfigFile(Settings settings) {
        this.settings = settings;
    }

    /**
     * Loads the configuration as redis-server does: {@code file} (may be null), then {@code stdin}
     * (may be null), then the command-line {@code options}. Returns the warnings to log once the
     * log is open: one per directive that was accepted but changes nothing here.
     */
    public static List<NotApplied> load(Path file, String stdin, List<String> options, Settings settings)
            throws ConfigError, IOException {
        StringBuilder text = new StringBuilder();
        if (file != null) {
            text.append(Files.readString(file, StandardCharsets.UTF_8));
        }
        if (stdin != null) {
            text.append(stdin);
        }
        text.append('\n').append(optionsToText(options));
        ConfigFile loader = new ConfigFile(settings);
        loader.apply(text.toString(), 0);
        return new ArrayList<>(loader.ignored.values());
    }

    /** Applies configuration text alone (as from a file without options); for tests and tools. */
    public static List<NotApplied> apply(String text, Settings settings) throws ConfigError, IOException {
        ConfigFile loader = new ConfigFile(settings);
        loader.apply(text, 0);
        return new ArrayList<>(loader.ignored.values());
    }

    private void apply(String text, int depth) throws ConfigError, IOException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<byte[]> args = ArgSplitter.split(line.getBytes(StandardCharsets.UTF_8));
            if (args == null) {
                throw error(i + 1, line, "Unbalanced quotes in configuration line");
            }
            if (args.isEmpty()) {
                continue;
            }
            String directive = new String(args.get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            List<String> values = new ArrayList<>();
            for (int j = 1; j < args.size(); j++) {
                values.add(new String(args.get(j), StandardCharsets.UTF_8));
            }
            String err = directive(directive, values, depth);
            if (err != null) {
                throw error(i + 1, line, err);
            }
        }
    }

    /** Applies one directive; returns Redis' error text, or null when it was accepted. */
    private String directive(String directive, List<String> values, int depth) throws ConfigError, IOException {
        ConfigParam p = settings.config.find(directive);
        if (p != null) {
            if (!p.has(ConfigParam.MULTI_ARG) && values.size() != 1) {
                return "wrong number of arguments";
            }
            String value = String.join(" ", values);
            // as Redis: the first "save" line replaces the defaults, the next ones add their points
            if (p == settings.save && savePointsSeen++ > 0 && !value.trim().isEmpty() && !p.get().isEmpty()) {
                value = p.get() + " " + value;
            }
            try {
                p.set(value);
            } catch (ConfigException e) {
                return e.getMessage();
            }
            if (p.ignoredBecause() != null) {
                String shown = p.has(ConfigParam.SENSITIVE) ? p.name() : p.name() + " " + p.get();
                ignored.put(p.name(), new NotApplied(shown + ": accepted and ignored, " + p.ignoredBecause(),
                        p.get().equals(p.defaultValue())));
            }
            return null;
        }
        if (DEPRECATED.contains(directive) && values.size() == 1) {
            return null;
        }
        switch (directive) {
            case "include":
                if (values.size() != 1) {
                    break;
                }
                include(values.get(0), depth);
                return null;
            case "rename-command":
                if (values.size() != 2) {
                    break;
                }
                return "rename-command is not available in this version";
            case "user":
                if (values.isEmpty()) {
                    break;
                }
                return "ACL users are not available in this version; use requirepass";
            case "loadmodule":
                if (values.isEmpty()) {
                    break;
                }
                return "modules are not supported";
            case "sentinel":
                return values.isEmpty() ? "Sentinel mode is not available in this version"
                        : "sentinel directive while not in sentinel mode";
            default:
                if (directive.indexOf('.') >= 0) {
                    return values.isEmpty() ? "Module config specified without value" : "modules are not supported";
                }
        }
        return "Bad directive or wrong number of arguments";
    }

    /** include: a file, or every file a wildcard pattern matches (none is fine, as in Redis). */
    private void include(String name, int depth) throws ConfigError, IOException {
        if (depth > 16) {
            throw new ConfigError("Fatal error: too many nested includes at '" + name + "'");
        }
        List<Path> files = new ArrayList<>();
        if (name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0) {
            Path pattern = Path.of(name).toAbsolutePath();
            Path parent = pattern.getParent();
            PathMatcher m = parent.getFileSystem().getPathMatcher("glob:" + pattern);
            if (Files.isDirectory(parent)) {
                try (var s = Files.list(parent)) {
                    s.filter(m::matches).sorted().forEach(files::add);
                }
            }
        } else {
            files.add(Path.of(name));
        }
        for (Path f : files) {
            if (!Files.isReadable(f)) {
                throw new ConfigError("Fatal error, can't open config file '" + f + "': No such file or directory");
            }
            apply(Files.readString(f, StandardCharsets.UTF_8), depth + 1);
        }
    }

    /** redis-server's message for a refused line (main() prints it to standard error and exits 1). */
    private static ConfigError error(int lineNo, String line, String reason) {
        return new ConfigError("\n*** FATAL CONFIG FILE ERROR (Redis " + Engine.REDIS_VERSION + ") ***\n"
                + "Reading the configuration file, at line " + lineNo + "\n"
                + ">>> '" + line + "'\n"
                + reason);
    }

    /**
     * Turns redis-server style options ({@code --port 7000 --save ""}) into configuration
     * lines: each {@code --name} starts a line, the following words are its quoted arguments.
     */
    public static String optionsToText(List<String> options) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (String o : options) {
            if (o.startsWith("--") && o.length() > 2) {
                if (!first) {
                    sb.append('\n');
                }
                sb.append(o.substring(2));
                first = false;
            } else {
                sb.append(' ').append(quote(o));
            }
        }
        return sb.toString();
    }

    /** Quotes a value for a config line so that {@link ArgSplitter} gives it back unchanged. */
    public static String quote(String v) {
        return Repr.of(v.getBytes(StandardCharsets.UTF_8));
    }
}
