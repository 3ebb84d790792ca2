package io.cachalot.server.config;

import io.cachalot.core.config.ConfigException;
import io.cachalot.core.config.ConfigParam;
import io.cachalot.core.config.Settings;
import io.cachalot.core.command.Repr;
import io.cachalot.core.util.ArgSplitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration in redis.conf syntax: one directive per line with its arguments (split and
 * unquoted as Redis does), '#' comments, and {@code include other.conf}. Command-line options
 * ({@code --port 7000}) are turned into the same lines and applied after the file.
 */
public final class ConfigFile {
    /** A refused line: its number, its text and the reason, for the one-line fatal error. */
    public static final class ConfigError extends Exception {
        public ConfigError(String message) {
            super(message);
        }
    }

    private ConfigFile() {
    }

    /** Reads a file (following includes) and applies its directives to {@code settings}. */
    public static void load(Path file, Settings settings) throws ConfigError, IOException {
        apply(Files.readString(file, StandardCharsets.UTF_8), file.toString(), settings, 0);
    }

    /** Applies configuration text. {@code source} names it in error messages. */
    public static void apply(String text, String source, Settings settings) throws ConfigError, IOException {
        apply(text, source, settings, 0);
    }

    private static void apply(String text, String source, Settings settings, int depth)
            throws ConfigError, IOException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<byte[]> args = ArgSplitter.split(line.getBytes(StandardCharsets.UTF_8));
            if (args == null) {
                throw error(source, i + 1, line, "Unbalanced quotes in configuration line");
            }
            if (args.isEmpty()) {
                continue;
            }
            String directive = new String(args.get(0), StandardCharsets.UTF_8);
            List<String> values = new ArrayList<>();
            for (int j = 1; j < args.size(); j++) {
                values.add(new String(args.get(j), StandardCharsets.UTF_8));
            }
            if (directive.equalsIgnoreCase("include") && values.size() == 1) {
                if (depth > 16) {
                    throw error(source, i + 1, line, "Too many nested includes");
                }
                Path inc = Path.of(values.get(0));
                if (!Files.isReadable(inc)) {
                    throw error(source, i + 1, line, "Can't open the include file: " + inc);
                }
                apply(Files.readString(inc, StandardCharsets.UTF_8), inc.toString(), settings, depth + 1);
                continue;
            }
            ConfigParam p = settings.config.find(directive);
            if (p == null || values.isEmpty() || (values.size() > 1 && !p.has(ConfigParam.MULTI_ARG))) {
                throw error(source, i + 1, line, "Bad directive or wrong number of arguments");
            }
            try {
                p.set(String.join(" ", values));
            } catch (ConfigException e) {
                throw error(source, i + 1, line, e.getMessage());
            }
        }
    }

    private static ConfigError error(String source, int lineNo, String line, String reason) {
        return new ConfigError("FATAL CONFIG FILE ERROR: " + source + ", line " + lineNo + ": '" + line + "': " + reason);
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
