package io.cachalot.core.command;

/** The implementation of one command: reads {@link CommandContext#argv}, writes to its reply. */
@FunctionalInterface
public interface CommandHandler {
    void execute(CommandContext ctx);
}
