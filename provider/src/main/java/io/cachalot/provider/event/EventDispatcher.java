package io.cachalot.provider.event;

import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Delivers a cache's entry events: synchronous listeners on the caller's thread before the
 * operation returns, asynchronous ones on the cache's event thread, in the order the events were
 * produced. Events of one operation reach a listener together, consecutive events of one type in
 * one call.
 */
public final class EventDispatcher<K, V> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventDispatcher.class);

    private final CopyOnWriteArrayList<ListenerRegistration<K, V>> registrations = new CopyOnWriteArrayList<>();
    private final String cacheName;
    private volatile ExecutorService async;

    public EventDispatcher(String cacheName) {
        this.cacheName = cacheName;
    }

    /** Whether any listener is registered (events need not be built otherwise). */
    public boolean active() {
        return !registrations.isEmpty();
    }

    public synchronized void register(CacheEntryListenerConfiguration<K, V> config) {
        for (ListenerRegistration<K, V> r : registrations) {
            if (r.config.equals(config)) {
                throw new IllegalArgumentException("listener configuration already registered");
            }
        }
        registrations.add(new ListenerRegistration<>(config));
    }

    public synchronized boolean deregister(CacheEntryListenerConfiguration<K, V> config) {
        for (ListenerRegistration<K, V> r : registrations) {
            if (r.config.equals(config)) {
                registrations.remove(r);
                r.close();
                return true;
            }
        }
        return false;
    }

    /** Delivers the events of one operation. Throws what a synchronous listener threw. */
    public void dispatch(List<CachalotEntryEvent<K, V>> events) {
        if (events == null || events.isEmpty()) {
            return;
        }
        CacheEntryListenerException failure = null;
        for (ListenerRegistration<K, V> r : registrations) {
            if (r.synchronous) {
                try {
                    deliver(r, events);
                } catch (CacheEntryListenerException e) {
                    failure = failure == null ? e : failure;
                } catch (RuntimeException e) {
                    failure = failure == null ? new CacheEntryListenerException(e) : failure;
                }
            } else {
                submit(() -> deliverQuietly(r, events));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Delivers events produced in the background (expiry by the engine): every listener, on the event thread. */
    public void dispatchBackground(List<CachalotEntryEvent<K, V>> events) {
        for (ListenerRegistration<K, V> r : registrations) {
            submit(() -> deliverQuietly(r, events));
        }
    }

    /** Queues work on the event thread; after close() (the cache is going away) it is dropped. */
    private void submit(Runnable task) {
        try {
            executor().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // events of a closing cache have no listener left to hear them
        }
    }

    private void deliverQuietly(ListenerRegistration<K, V> r, List<CachalotEntryEvent<K, V>> events) {
        try {
            deliver(r, events);
        } catch (RuntimeException e) {
            LOG.warn("cache {}: an entry listener failed", cacheName, e);
        }
    }

    private void deliver(ListenerRegistration<K, V> r, List<CachalotEntryEvent<K, V>> events) {
        List<CacheEntryEvent<? extends K, ? extends V>> run = new ArrayList<>(events.size());
        EventType runType = null;
        for (CachalotEntryEvent<K, V> e : events) {
            if (!r.hears(e.getEventType()) || (r.filter != null && !r.filter.evaluate(e))) {
                continue;
            }
            if (runType != null && runType != e.getEventType()) {
                call(r, runType, run);
                run = new ArrayList<>();
            }
            runType = e.getEventType();
            run.add(e);
        }
        if (runType != null) {
            call(r, runType, run);
        }
    }

    @SuppressWarnings("unchecked")
    private void call(ListenerRegistration<K, V> r, EventType type, List<CacheEntryEvent<? extends K, ? extends V>> run) {
        Iterable<CacheEntryEvent<? extends K, ? extends V>> it = run;
        switch (type) {
            case CREATED:
                ((CacheEntryCreatedListener<K, V>) r.listener).onCreated(it);
                break;
            case UPDATED:
                ((CacheEntryUpdatedListener<K, V>) r.listener).onUpdated(it);
                break;
            case REMOVED:
                ((CacheEntryRemovedListener<K, V>) r.listener).onRemoved(it);
                break;
            case EXPIRED:
                ((CacheEntryExpiredListener<K, V>) r.listener).onExpired(it);
                break;
            default:
                break;
        }
    }

    private ExecutorService executor() {
        ExecutorService e = async;
        if (e == null) {
            synchronized (this) {
                e = async;
                if (e == null) {
                    e = async = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "cachalot-events-" + cacheName);
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
        }
        return e;
    }

    /** Waits for queued asynchronous events, then closes every listener. */
    public synchronized void close() {
        ExecutorService e = async;
        if (e != null) {
            e.shutdown();
            try {
                e.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        for (ListenerRegistration<K, V> r : registrations) {
            r.close();
        }
        registrations.clear();
    }
}
