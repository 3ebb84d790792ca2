package io.cachalot.server.net;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;

/**
 * Connections of one event loop whose output waits for the end of the loop's turn: replies to
 * the commands read in this turn and the messages (pub/sub, invalidations, MONITOR lines) those
 * commands made for other clients. Redis writes its clients once per loop iteration, in
 * beforeSleep; here a task of the loop, which Netty runs after the turn's reads, flushes each
 * connection once — a subscriber that gets a message from each of 50 publishers in one turn
 * costs one system call, not 50. A connection is added when it first has something to send, so
 * a reader's invalidation, made while the writer's command ran, leaves before the writer's reply.
 */
final class TurnFlush {
    private static final FastThreadLocal<TurnFlush> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected TurnFlush initialValue() {
            return new TurnFlush();
        }
    };

    private ArrayList<ClientHandler> waiting = new ArrayList<>();
    private ArrayList<ClientHandler> spare = new ArrayList<>();
    private boolean scheduled;

    /** On {@code loop}'s thread: {@code h} has output to flush (called once until it is flushed). */
    static void add(EventLoop loop, ClientHandler h) {
        TurnFlush t = PER_LOOP.get();
        t.waiting.add(h);
        if (!t.scheduled) {
            t.scheduled = true;
            loop.execute(t::run);
        }
    }

    private void run() {
        scheduled = false;
        // a flush may add a connection (a client closed for its output limit notifies others):
        // it goes into the next batch, with a task of its own
        ArrayList<ClientHandler> batch = waiting;
        waiting = spare;
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).endOfTurn();
        }
        batch.clear();
        spare = batch;
    }
}
