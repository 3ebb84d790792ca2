package io.cachalot.core.script;

/** A script of the EVAL cache: its body, SHA-1, shebang flags, and what its runs taught about its keys. */
final class Script extends Code {
    final String sha;
    /** The SHA-1 as ASCII bytes, to recognise EVALSHA's argument without building a string. */
    final byte[] shaBytes;
    final byte[] body;
    final int flags;
    /** Where the code starts, past the shebang line (its line feed kept, so line numbers hold). */
    final int codeOffset;

    Script(String sha, byte[] body, int flags, int codeOffset) {
        this.sha = sha;
        this.shaBytes = sha.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        this.body = body;
        this.flags = flags;
        this.codeOffset = codeOffset;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
