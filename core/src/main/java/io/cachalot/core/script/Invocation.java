package io.cachalot.core.script;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.Reply;

/**
 * One EVAL or FCALL as it runs: what it needs of its client's command, copied when the script
 * runs on the script thread while the client's own thread goes on (see {@link ScriptEngine}).
 */
final class Invocation {
    final byte[][] argv;
    final int argc;
    final int db;
    final boolean overMaxmemory;
    final Reply reply;
    /** The script's time (Redis' snapshot_time): keys do not expire while it runs. */
    long now;

    private Invocation(byte[][] argv, int argc, int db, boolean overMaxmemory, Reply reply, long now) {
        this.argv = argv;
        this.argc = argc;
        this.db = db;
        this.overMaxmemory = overMaxmemory;
        this.reply = reply;
        this.now = now;
    }

    /** The command as it is, answered into its own reply sink (a script run on the client's thread). */
    static Invocation inline(CommandContext ctx) {
        return new Invocation(ctx.argv, ctx.argc, ctx.session().db(), ctx.overMaxmemory(), ctx.reply, ctx.now);
    }

    /** A copy of the command, answered into {@code reply} (a script run on the script thread). */
    static Invocation copy(CommandContext ctx, Reply reply) {
        return new Invocation(java.util.Arrays.copyOf(ctx.argv, ctx.argc), ctx.argc, ctx.session().db(),
                ctx.overMaxmemory(), reply, ctx.now);
    }
}
