package io.cachalot.core.command;

import java.util.Locale;

/** The HELP replies of container commands, in Redis' layout (addReplyHelp). */
public final class Help {
    private Help() {
    }

    /** Replies the usage header, the given lines, and the closing HELP entry, as status strings. */
    public static void reply(CommandContext ctx, String command, String... lines) {
        Reply r = ctx.reply;
        r.array(lines.length + 3);
        r.status(command.toUpperCase(Locale.ROOT) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            r.status(l);
        }
        r.status("HELP");
        r.status("    Prints this help.");
    }
}
