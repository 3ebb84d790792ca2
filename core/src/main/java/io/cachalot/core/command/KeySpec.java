package io.cachalot.core.command;

import io.cachalot.core.command.meta.MetaNode;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

/**
 * One key specification of a command (Redis 7 key specs): where the search for keys begins (an
 * argument index or a keyword) and how keys are found from there (a range or a key count).
 * Used by COMMAND GETKEYS and by everything that needs a command's keys (locking, Cluster).
 */
public final class KeySpec {
    static final int BS_INDEX = 1;
    static final int BS_KEYWORD = 2;
    static final int FK_RANGE = 1;
    static final int FK_KEYNUM = 2;

    final MetaNode flags;
    final int beginSearch;
    final int index;
    final byte[] keyword;
    final int startFrom;
    final int findKeys;
    final int lastKey;
    final int keyStep;
    final int limit;
    final int keyNumIdx;
    final int firstKey;

    private KeySpec(MetaNode flags, int beginSearch, int index, byte[] keyword, int startFrom,
                    int findKeys, int lastKey, int keyStep, int limit, int keyNumIdx, int firstKey) {
        this.flags = flags;
        this.beginSearch = beginSearch;
        this.index = index;
        this.keyword = keyword;
        this.startFrom = startFrom;
        this.findKeys = findKeys;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.limit = limit;
        this.keyNumIdx = keyNumIdx;
        this.firstKey = firstKey;
    }

    /** Reads a key spec map of COMMAND INFO. */
    static KeySpec parse(MetaNode m) {
        MetaNode bs = m.get("begin_search");
        MetaNode fk = m.get("find_keys");
        int beginSearch = 0;
        int index = 0;
        byte[] keyword = null;
        int startFrom = 0;
        String bsType = bs.get("type").text();
        if (bsType.equals("index")) {
            beginSearch = BS_INDEX;
            index = (int) bs.get("spec").get("index").integer();
        } else if (bsType.equals("keyword")) {
            beginSearch = BS_KEYWORD;
            keyword = Bytes.ascii(bs.get("spec").get("keyword").text());
            startFrom = (int) bs.get("spec").get("startfrom").integer();
        }
        int findKeys = 0;
        int lastKey = 0;
        int keyStep = 1;
        int limit = 0;
        int keyNumIdx = 0;
        int firstKey = 0;
        String fkType = fk.get("type").text();
        if (fkType.equals("range")) {
            findKeys = FK_RANGE;
            MetaNode spec = fk.get("spec");
            lastKey = (int) spec.get("lastkey").integer();
            keyStep = (int) spec.get("keystep").integer();
            limit = (int) spec.get("limit").integer();
        } else if (fkType.equals("keynum")) {
            findKeys = FK_KEYNUM;
            MetaNode spec = fk.get("spec");
            keyNumIdx = (int) spec.get("keynumidx").integer();
            firstKey = (int) spec.get("firstkey").integer();
            keyStep = (int) spec.get("keystep").integer();
        }
        return new KeySpec(m.get("flags"), beginSearch, index, keyword, startFrom, findKeys, lastKey, keyStep,
                limit, keyNumIdx, firstKey);
    }

    /** A plain range spec for commands defined without Redis metadata. */
    static KeySpec range(MetaNode flags, int first, int lastKey, int step) {
        return new KeySpec(flags, BS_INDEX, first, null, 0, FK_RANGE, lastKey, step, 0, 0, 0);
    }

    /**
     * Adds the argument positions of this spec's keys to {@code out}; returns false when the
     * arguments do not fit the spec (Redis' "invalid_spec").
     */
    boolean collect(byte[][] argv, int argc, IntList out, boolean negativeArity) {
        int first = 0;
        if (beginSearch == BS_INDEX) {
            first = index;
        } else if (beginSearch == BS_KEYWORD) {
            int start = startFrom > 0 ? startFrom : argc + startFrom;
            int end = startFrom > 0 ? argc - 1 : 1;
            for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                if (i >= argc || i < 1) {
                    break;
                }
                if (Bytes.equalsIgnoreCase(argv[i], keyword)) {
                    first = i + 1;
                    break;
                }
            }
            if (first == 0) {
                return true; // keyword absent: this spec yields no keys
            }
        } else {
            return false;
        }
        int last;
        int step;
        if (findKeys == FK_RANGE) {
            if (lastKey >= 0) {
                last = first + lastKey;
            } else if (limit == 0) {
                last = argc + lastKey;
            } else {
                last = first + ((argc - first) / limit + lastKey);
            }
            step = keyStep;
        } else if (findKeys == FK_KEYNUM) {
            if (keyNumIdx >= argc || first + keyNumIdx >= argc) {
                return false;
            }
            byte[] n = argv[first + keyNumIdx];
            if (!Numbers.isLong(n)) {
                return false;
            }
            long numKeys = Numbers.parseLong(n);
            if (numKeys < 0) {
                return false;
            }
            first += firstKey;
            last = first + (int) numKeys - 1;
            step = keyStep;
        } else {
            return false;
        }
        if (last >= argc || last < first || first >= argc) {
            return false;
        }
        for (int i = first; i <= last; i += step) {
            if (i >= argc || i < first) {
                if (negativeArity) {
                    continue;
                }
                return false;
            }
            out.add(i);
        }
        return true;
    }

    /** A growable list of ints, reused to avoid boxing. */
    public static final class IntList {
        private int[] a = new int[8];
        private int n;

        public void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n << 1);
            }
            a[n++] = v;
        }

        public int size() {
            return n;
        }

        public int get(int i) {
            return a[i];
        }

        public void clear() {
            n = 0;
        }
    }
}
