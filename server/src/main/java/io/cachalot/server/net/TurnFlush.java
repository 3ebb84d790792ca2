package io.cachalot.server.net;

import io.cachalot.core.tracking.Tracking;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;

/**
 * Connections of one event loop whose output waits for the end of the loop's turn: replies to
 * the commands read in this turn and the messages (pub/sub, invalidations, MONITOR lines) those
 * commands made for other clients. Redis writes its clients once per loop iteration, in
 * beforeSleep; here a task of the loop, which Netty runs after the turn's reads, flushes each
 * connection once — a subscriber that gets a message from each of 50 publishers in one turn
 * costs one system call, not 50.
 *
 * <p>As in Redis' beforeSleep, the turn's BCAST invalidations are sent first (one push per
 * prefix for all the keys the turn's commands changed), and connections that got messages are
 * flushed before those that only have replies: a client that got the reply to its write finds
 * the invalidations it caused already sent.
 */
final class TurnFlush {
    private static final FastThreadLocal<TurnFlush> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected TurnFlush initialValue() {
            return new TurnFlush();
        }
    };

    private ArrayList<ClientHandler> messaged = new ArrayList<>();
    private ArrayList<ClientHandler> replied = new ArrayList<>();
    private ArrayList<ClientHandler> spareMessaged = new ArrayList<>();
    private ArrayList<ClientHandler> spareReplied = new ArrayList<>();
    private boolean scheduled;
    /** The engine's client tracking; BCAST from this loop's commands waits for {@link #run}. */
    private Tracking tracking;

    /**
     * On {@code loop}'s thread: {@code h} has output to flush — messages, or only replies
     * (called once per kind until it is flushed).
     */
    static void add(EventLoop loop, ClientHandler h, boolean message, Tracking tracking) {
        TurnFlush t = PER_LOOP.get();
        if (t.tracking == null) {
            t.tracking = tracking;
            tracking.broadcastLaterOnThisThread();
        }
        (message ? t.messaged : t.replied).add(h);
        if (!t.scheduled) {
            t.scheduled = true;
            loop.execute(t::run);
        }
    }

    private void run() {
        scheduled = false;
        // adds the BCAST clients of this loop to the messaged list
        tracking.broadcast();
        // a flush may add a connection (a client closed for its output limit notifies others):
        // it goes into the next batch, with a task of its own
        ArrayList<ClientHandler> m = messaged;
        ArrayList<ClientHandler> r = replied;
        messaged = spareMessaged;
        replied = spareReplied;
        for (int i = 0; i < m.size(); i++) {
            m.get(i).endOfTurn();
        }
        for (int i = 0; i < r.size(); i++) {
            r.get(i).endOfTurn();
        }
        m.clear();
        r.clear();
        spareMessaged = m;
        spareReplied = r;
    }
}
