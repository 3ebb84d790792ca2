package io.cachalot.core.persist.aof;

/** An AOF or its manifest cannot be read; the message says why, in Redis' words. */
public final class AofFormatException extends Exception {
    public AofFormatException(String message) {
        super(message);
    }
}
