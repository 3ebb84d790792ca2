package io.cachalot.core.keyspace;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Which entries of one {@link Segment} belong to each {@link KeyGroup} of its database (guarded by
 * the segment's lock), with their memory, so that a group's size, keys and clearing cost in
 * proportion to the group. A segment has one only once a group exists in its database.
 */
final class SegmentGroups {
    private final Database db;
    /** Entries of each group, by group id; null slots for groups with none here. */
    private EntrySet[] sets = new EntrySet[0];

    SegmentGroups(Database db) {
        this.db = db;
    }

    /** A new entry joins the groups whose prefix it has. */
    void add(Entry e, KeyGroup[] gs) {
        for (KeyGroup g : gs) {
            if (g != null && g.matches(e.key())) {
                if (sets.length <= g.id) {
                    sets = Arrays.copyOf(sets, g.id + 1);
                }
                EntrySet set = sets[g.id];
                if (set == null) {
                    set = sets[g.id] = new EntrySet();
                }
                int before = set.size();
                set.add(e);
                if (set.size() != before) {
                    long m = e.memoryUsage();
                    set.memory += m;
                    g.count.increment();
                    g.memory.add(m);
                }
            }
        }
    }

    /** A member's value changed size by {@code delta} bytes. */
    void resize(Entry e, long delta) {
        KeyGroup[] gs = db.groups;
        for (int i = 0; i < sets.length; i++) {
            if (sets[i] != null && i < gs.length && gs[i] != null && gs[i].matches(e.key())) {
                sets[i].memory += delta;
                gs[i].memory.add(delta);
            }
        }
    }

    void remove(Entry e) {
        KeyGroup[] gs = db.groups;
        for (int i = 0; i < sets.length; i++) {
            EntrySet set = sets[i];
            if (set != null && set.size() != 0 && i < gs.length && gs[i] != null && gs[i].matches(e.key())) {
                int before = set.size();
                set.remove(e);
                if (set.size() != before) {
                    long m = e.memoryUsage();
                    set.memory -= m;
                    gs[i].count.decrement();
                    gs[i].memory.add(-m);
                }
            }
        }
    }

    /** The segment was emptied: every group loses its members here. */
    void clear() {
        KeyGroup[] gs = db.groups;
        for (int i = 0; i < sets.length; i++) {
            if (sets[i] != null) {
                if (i < gs.length && gs[i] != null) {
                    gs[i].count.add(-sets[i].size());
                    gs[i].memory.add(-sets[i].memory);
                }
                sets[i].clear();
            }
        }
    }

    /** Forgets a group being closed (its entries stay in the segment). */
    void drop(KeyGroup g) {
        if (g.id < sets.length && sets[g.id] != null) {
            g.count.add(-sets[g.id].size());
            g.memory.add(-sets[g.id].memory);
            sets[g.id] = null;
        }
    }

    private EntrySet set(KeyGroup g) {
        return g.id >= sets.length ? null : sets[g.id];
    }

    Entry[] entries(KeyGroup g) {
        EntrySet set = set(g);
        return set == null ? new Entry[0] : set.toArray();
    }

    int size(KeyGroup g) {
        EntrySet set = set(g);
        return set == null ? 0 : set.size();
    }

    Entry random(KeyGroup g, RandomGenerator rnd) {
        EntrySet set = set(g);
        return set == null || set.size() == 0 ? null : set.random(rnd);
    }

    /**
     * Tells the groups {@code e} belongs to that the engine expired it (a JCache cache fires its
     * expired events). The groups' listeners are not part of the {@link ChangeStream} because they
     * need the group membership kept here.
     */
    static void expired(Entry e, KeyGroup[] gs) {
        for (KeyGroup g : gs) {
            if (g != null && g.expiryListener != null && g.matches(e.key())) {
                g.expiryListener.expired(e.key(), e.value(), ValueType.of(e.typeCode()));
            }
        }
    }
}
