package io.cachalot.core.command.persist;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.Errors;
import io.cachalot.core.persist.Persistence;

/** SAVE, BGSAVE and LASTSAVE: RDB snapshots of the whole dataset. */
public final class PersistCommands implements CommandFamily {
    @Override
    public void register(CommandCatalog c) {
        c.register("save", PersistCommands::save);
        c.register("bgsave", PersistCommands::bgsave);
        c.register("lastsave", ctx -> ctx.reply.integer(ctx.engine().persistence().lastSaveSeconds()));
    }

    static void save(CommandContext ctx) {
        try {
            ctx.engine().persistence().save();
        } catch (Persistence.SaveException e) {
            throw new CommandError(e.getMessage());
        }
        ctx.reply.ok();
    }

    /** BGSAVE [SCHEDULE]: with no AOF rewrite to wait for, SCHEDULE starts at once too. */
    static void bgsave(CommandContext ctx) {
        if (ctx.argc > 2 || (ctx.argc == 2 && !ctx.argIs(1, "schedule"))) {
            throw Errors.E_SYNTAX;
        }
        if (!ctx.engine().persistence().bgsave()) {
            throw new CommandError("ERR Background save already in progress");
        }
        ctx.reply.status("Background saving started");
    }
}
