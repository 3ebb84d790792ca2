package io.cachalot.core.command;

/** What the command layer (INFO, DEBUG) sees of Lua scripting. */
public interface ScriptFacts {
    /** Bytes the Lua states hold (used_memory_lua). */
    long luaMemory();

    /** Bytes of the cached EVAL scripts (used_memory_scripts_eval). */
    long scriptsMemory();

    /** Bytes of the function libraries' code (used_memory_functions). */
    long functionsMemory();

    int cachedScripts();

    int functionCount();

    int libraryCount();

    /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call commands flagged noscript. */
    void setDenyScriptDisabled(boolean disabled);
}
