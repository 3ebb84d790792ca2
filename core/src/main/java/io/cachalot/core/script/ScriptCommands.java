package io.cachalot.core.script;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.Help;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: the command family of one engine's
 * {@link ScriptEngine} (registered by the engine, which owns the scripts, rather than found by
 * the ServiceLoader like the stateless families).
 */
public final class ScriptCommands implements CommandFamily {
    private final ScriptEngine scripts;

    public ScriptCommands(ScriptEngine scripts) {
        this.scripts = scripts;
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("eval", ctx -> scripts.eval(ctx, false, false));
        c.register("evalsha", ctx -> scripts.eval(ctx, true, false));
        c.register("eval_ro", ctx -> scripts.eval(ctx, false, true));
        c.register("evalsha_ro", ctx -> scripts.eval(ctx, true, true));
        c.register("script|load", ctx -> ctx.reply.bulk(scripts.load(ctx.argv[2])));
        c.register("script|exists", ScriptCommands.this::exists);
        c.register("script|flush", ScriptCommands.this::flush);
        c.register("script|kill", ctx -> scripts.kill(true, ctx.reply));
        c.register("script|debug", ScriptCommands::debug);
        c.register("script|help", ctx -> Help.reply(ctx, "script",
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it."));
    }

    private void exists(CommandContext ctx) {
        ctx.reply.array(ctx.argc - 2);
        for (int i = 2; i < ctx.argc; i++) {
            ctx.reply.integer(scripts.exists(ctx.argv[i]) ? 1 : 0);
        }
    }

    private void flush(CommandContext ctx) {
        if (ctx.argc > 3 || (ctx.argc == 3 && !ctx.argIs(2, "sync") && !ctx.argIs(2, "async"))) {
            throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        scripts.flush();
        ctx.reply.ok();
    }

    /** There is no Lua debugger: NO is what every client already has, YES and SYNC are refused. */
    private static void debug(CommandContext ctx) {
        if (ctx.argIs(2, "no")) {
            ctx.reply.ok();
        } else if (ctx.argIs(2, "yes") || ctx.argIs(2, "sync")) {
            throw new CommandError("ERR SCRIPT DEBUG is not available: this server has no Lua debugger");
        } else {
            throw new CommandError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }
}
