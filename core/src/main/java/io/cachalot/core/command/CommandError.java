package io.cachalot.core.command;

/**
 * Thrown by a command (or an argument helper) to answer with an error reply. Carries no stack
 * trace, and the common ones are shared constants, so the error path allocates nothing. A
 * command must not throw it after it has started writing its reply.
 */
public final class CommandError extends RuntimeException {
    public CommandError(String message) {
        super(message, null, false, false);
    }
}
