package io.cachalot.core.script;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1 in lower-case hex: script names (EVAL, SCRIPT LOAD) and redis.sha1hex. */
final class Sha1 {
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Sha1() {
    }

    static String hex(byte[] b, int off, int len) {
        MessageDigest d = DIGEST.get();
        d.update(b, off, len);
        byte[] h = d.digest();
        char[] out = new char[40];
        for (int i = 0; i < 20; i++) {
            out[2 * i] = HEX[(h[i] >> 4) & 15];
            out[2 * i + 1] = HEX[h[i] & 15];
        }
        return new String(out);
    }
}
