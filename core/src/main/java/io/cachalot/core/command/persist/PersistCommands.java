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
        c.register("bgrewriteaof", PersistCommands::bgrewriteaof);
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

    /** BGREWRITEAOF, with Redis' replies. */
    static void bgrewriteaof(CommandContext ctx) {
        switch (ctx.engine().persistence().aof().bgrewrite(ctx.inTransaction())) {
            case io.cachalot.core.persist.aof.AppendOnly.STARTED:
                ctx.reply.status("Background append only file rewriting started");
                break;
            case io.cachalot.core.persist.aof.AppendOnly.IN_PROGRESS:
                throw new CommandError("ERR Background append only file rewriting already in progress");
            case io.cachalot.core.persist.aof.AppendOnly.SCHEDULED:
                ctx.reply.status("Background append only file rewriting scheduled");
                break;
            default:
                throw new CommandError("ERR Can't execute an AOF background rewriting. "
                        + "Please check the server logs for more information.");
        }
    }

    /** BGSAVE [SCHEDULE]: during an AOF rewrite, SCHEDULE starts it when the rewrite ends. */
    static void bgsave(CommandContext ctx) {
        if (ctx.argc > 2 || (ctx.argc == 2 && !ctx.argIs(1, "schedule"))) {
            throw Errors.E_SYNTAX;
        }
        boolean schedule = ctx.argc == 2;
        if (ctx.inTransaction()) {
            // a snapshot now would hold half the transaction: it starts after EXEC, as Redis
            ctx.engine().persistence().scheduleBgsave();
            ctx.reply.status("Background saving scheduled");
            return;
        }
        switch (ctx.engine().persistence().bgsave(schedule)) {
            case Persistence.BGSAVE_STARTED:
                ctx.reply.status("Background saving started");
                break;
            case Persistence.BGSAVE_AOF_REWRITING:
                if (!schedule) {
                    throw new CommandError("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                            + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
                }
                ctx.reply.status("Background saving scheduled");
                break;
            default:
                throw new CommandError("ERR Background save already in progress");
        }
    }
}
