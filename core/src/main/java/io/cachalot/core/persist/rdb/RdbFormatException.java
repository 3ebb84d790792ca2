package io.cachalot.core.persist.rdb;

/** RDB data that cannot be read: truncated, of an unknown type, or inconsistent. */
public final class RdbFormatException extends Exception {
    public RdbFormatException(String message) {
        super(message, null, false, false);
    }
}
