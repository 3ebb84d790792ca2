package io.cachalot.core.command;

/**
 * A family of commands (strings, lists, transactions ...): registers its handlers and declares
 * their flags. The engine finds the families with {@link java.util.ServiceLoader} (they are listed
 * in {@code META-INF/services/io.cachalot.core.command.CommandFamily}), so adding a family is a
 * class and a line there, and nothing above the command layer knows the families.
 */
public interface CommandFamily {
    /** Registers the family's commands (and subcommands) and their flags. */
    void register(CommandCatalog catalog);
}
