package io.cachalot.core.script;

/** A script of the EVAL cache: its body, SHA-1, shebang flags, and what its runs taught about its keys. */
final class Script extends Code {
    final String sha;
    final byte[] body;
    final int flags;
    /** Where the code starts, past the shebang line (its line feed kept, so line numbers hold). */
    final int codeOffset;

    Script(String sha, byte[] body, int flags, int codeOffset) {
        this.sha = sha;
        this.body = body;
        this.flags = flags;
        this.codeOffset = codeOffset;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
