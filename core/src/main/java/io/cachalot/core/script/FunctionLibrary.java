package io.cachalot.core.script;

import java.util.LinkedHashMap;
import java.util.Map;

/** A library of FUNCTION LOAD: its name, its whole code (shebang included) and the functions it registered. */
final class FunctionLibrary {
    final String name;
    final byte[] code;
    /** Where the Lua code starts: the shebang line's line feed (line numbers hold). */
    final int codeOffset;
    final Map<String, Function> functions = new LinkedHashMap<>();

    FunctionLibrary(String name, byte[] code, int codeOffset) {
        this.name = name;
        this.code = code;
        this.codeOffset = codeOffset;
    }

    /** A function a library registered. */
    static final class Function extends Code {
        final String name;
        final byte[] description;
        final int flags;
        final FunctionLibrary library;

        Function(String name, byte[] description, int flags, FunctionLibrary library) {
            this.name = name;
            this.description = description;
            this.flags = flags;
            this.library = library;
        }

        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }
}
