package io.cachalot.server.net;

import io.cachalot.core.propagate.EffectLog;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.List;

/**
 * Replies that wait for the AOF's sync (appendfsync always), per event loop: the clients whose
 * commands this loop ran in one turn are answered after one sync that covers them all, as Redis
 * syncs once in beforeSleep for every client it served in that turn. The sync runs as a task of
 * the loop, which Netty runs after the turn's reads.
 */
final class SyncBatch {
    private static final FastThreadLocal<SyncBatch> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected SyncBatch initialValue() {
            return new SyncBatch();
        }
    };

    private List<ClientHandler> waiting = new ArrayList<>();
    private long position = -1;
    private boolean scheduled;

    /** On {@code loop}'s thread: {@code h}'s replies leave once the log is durable up to {@code at}. */
    static void add(EventLoop loop, EffectLog effects, ClientHandler h, long at) {
        SyncBatch b = PER_LOOP.get();
        if (!b.waiting.contains(h)) {
            b.waiting.add(h);
        }
        b.position = Math.max(b.position, at);
        if (!b.scheduled) {
            b.scheduled = true;
            loop.execute(() -> b.run(effects));
        }
    }

    private void run(EffectLog effects) {
        scheduled = false;
        long at = position;
        position = -1;
        List<ClientHandler> ready = waiting;
        waiting = new ArrayList<>();
        effects.makeDurable(at);
        for (ClientHandler h : ready) {
            h.flushAfterSync();
        }
    }
}
