package io.cachalot.core.command;

import io.cachalot.core.client.Session;
import io.cachalot.core.persist.aof.AofReplay;

/**
 * Runs an AOF's commands while it loads, as Redis' fake AOF client: authenticated, replies
 * discarded, and none of the refusals a live client meets (maxmemory, MISCONF, CLIENT PAUSE).
 */
public final class ReplayClient implements AofReplay {
    private final Dispatcher dispatcher;
    private final CommandContext ctx;
    private final RecordingReply reply = new RecordingReply(2);

    public ReplayClient(Dispatcher dispatcher, CommandContext ctx) {
        this.dispatcher = dispatcher;
        this.ctx = ctx;
        ctx.loading = true;
        ctx.session().setAuthenticated(true);
        ctx.session().setReplyMode(Session.REPLY_OFF);
    }

    @Override
    public boolean run(byte[][] argv) {
        if (dispatcher.lookup(argv, argv.length) == null) {
            return false;
        }
        dispatcher.execute(ctx, argv, argv.length, reply);
        return true;
    }

    @Override
    public boolean inMulti() {
        return ctx.transaction().inMulti();
    }

    @Override
    public void discard() {
        ctx.transaction().end();
    }
}
