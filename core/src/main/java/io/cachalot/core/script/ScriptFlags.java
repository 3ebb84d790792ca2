package io.cachalot.core.script;

import io.cachalot.core.command.CommandError;
import io.cachalot.core.util.ArgSplitter;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Script flags: a shebang's {@code flags=} (EVAL) and register_function's (functions), as Redis names them. */
final class ScriptFlags {
    static final int NO_WRITES = 1;
    static final int ALLOW_OOM = 1 << 1;
    static final int ALLOW_STALE = 1 << 2;
    static final int NO_CLUSTER = 1 << 3;
    static final int ALLOW_CROSS_SLOT = 1 << 4;
    /** An EVAL script without a shebang: the checks of Redis before 7.0 apply. */
    static final int EVAL_COMPAT = 1 << 5;

    static final String[] NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};

    private ScriptFlags() {
    }

    /** The flag of a name, or 0. */
    static int byName(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return 1 << i;
            }
        }
        return 0;
    }

    /** Whether code starts with "#!" (a shebang line: EVAL flags, or a library's metadata). */
    static boolean hasShebang(byte[] code) {
        return code.length >= 2 && code[0] == '#' && code[1] == '!';
    }

    /** Where the first line ends (its line feed), or -1 when there is none. */
    static int lineEnd(byte[] code) {
        for (int i = 0; i < code.length; i++) {
            if (code[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The result of reading a script's shebang: its flags and where the code starts. */
    record Shebang(int flags, int length) {
    }

    /** Redis' evalExtractShebangFlags; a bad shebang fails with Redis' error. */
    static Shebang parse(byte[] body) {
        if (!hasShebang(body)) {
            return new Shebang(EVAL_COMPAT, 0);
        }
        int end = lineEnd(body);
        if (end < 0) {
            throw new CommandError("ERR Invalid script shebang");
        }
        List<byte[]> parts = ArgSplitter.split(body, 0, end);
        if (parts == null || parts.isEmpty()) {
            throw new CommandError("ERR Invalid engine in script shebang");
        }
        String engine = new String(parts.get(0), StandardCharsets.ISO_8859_1);
        if (!engine.equals("#!lua")) {
            throw new CommandError("ERR Unexpected engine in script shebang: " + engine);
        }
        int flags = 0;
        for (int j = 1; j < parts.size(); j++) {
            String part = new String(parts.get(j), StandardCharsets.ISO_8859_1);
            if (!part.startsWith("flags=")) {
                throw new CommandError("ERR Unknown lua shebang option: " + part);
            }
            String list = part.substring(6);
            for (String f : list.split(",", -1)) {
                if (list.isEmpty()) {
                    break;
                }
                int bit = byName(f);
                if (bit == 0) {
                    throw new CommandError("ERR Unexpected flag in script shebang: " + f);
                }
                flags |= bit;
            }
        }
        return new Shebang(flags, end);
    }
}
