package io.cachalot.core.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** The connected clients, by id (CLIENT LIST order), and the id counter. */
public final class ClientRegistry {
    private final AtomicLong nextId = new AtomicLong(1);
    private final ConcurrentSkipListMap<Long, Session> byId = new ConcurrentSkipListMap<>();

    public long nextId() {
        return nextId.getAndIncrement();
    }

    public void add(Session s) {
        byId.put(s.id(), s);
    }

    public void remove(Session s) {
        byId.remove(s.id());
    }

    public Session get(long id) {
        return byId.get(id);
    }

    public int size() {
        return byId.size();
    }

    /** A snapshot of the clients, by ascending id. */
    public List<Session> list() {
        return new ArrayList<>(byId.values());
    }
}
