package io.cachalot.core.command.strings;

import io.cachalot.core.command.KeyLock;
import io.cachalot.core.command.KeyPair;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Reply;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.ValueType;
import io.cachalot.core.util.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * LCS: the longest common subsequence of two strings by dynamic programming, with Redis' reply
 * forms (the string, LEN, or IDX with the matched ranges walked back from the end of both strings)
 * and Redis' limits on the table's size.
 */
final class Lcs {
    private Lcs() {
    }

    static void lcs(CommandContext ctx) {
        byte[] a;
        byte[] b;
        try (KeyPair p = ctx.lockKeys(1, 2)) {
            Entry ea = p.first().read();
            Entry eb = p.second().read();
            if ((ea != null && !ea.isType(ValueType.STRING)) || (eb != null && !eb.isType(ValueType.STRING))) {
                throw new CommandError("ERR The specified keys must contain string values");
            }
            a = ea == null ? Bytes.EMPTY : ea.bytes();
            b = eb == null ? Bytes.EMPTY : eb.bytes();
        }

        boolean getIdx = false;
        boolean getLen = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < ctx.argc; j++) {
            boolean more = ctx.argc - 1 - j > 0;
            if (ctx.argIs(j, "idx")) {
                getIdx = true;
            } else if (ctx.argIs(j, "len")) {
                getLen = true;
            } else if (ctx.argIs(j, "withmatchlen")) {
                withMatchLen = true;
            } else if (ctx.argIs(j, "minmatchlen") && more) {
                minMatchLen = ctx.longArg(j + 1);
                if (minMatchLen < 0) {
                    minMatchLen = 0;
                }
                j++;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        if (getIdx && getLen) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        int alen = a.length;
        int blen = b.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > ctx.settings().protoMaxBulkLen.value()) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int[] t;
        try {
            if (cells > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError();
            }
            t = new int[(int) cells];
        } catch (OutOfMemoryError oom) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        int w = blen + 1;
        for (int i = 1; i <= alen; i++) {
            byte ai = a[i - 1];
            int row = i * w;
            int prev = row - w;
            for (int j = 1; j <= blen; j++) {
                if (ai == b[j - 1]) {
                    t[row + j] = t[prev + j - 1] + 1;
                } else {
                    int up = t[prev + j];
                    int left = t[row + j - 1];
                    t[row + j] = up > left ? up : left;
                }
            }
        }
        int total = t[alen * w + blen];
        boolean computeLcs = getIdx || !getLen;
        byte[] result = computeLcs ? new byte[total] : null;
        List<long[]> ranges = getIdx ? new ArrayList<>() : null;

        // Walk back from the end: matching bytes extend the current range backwards while both
        // positions stay contiguous; a range is emitted when it breaks or reaches a string start.
        int idx = total;
        int i = alen;
        int j = blen;
        int aStart = alen;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        while (computeLcs && i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                int up = t[(i - 1) * w + j];
                int left = t[i * w + j - 1];
                if (up > left) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            long matchLen = (long) aEnd - aStart + 1;
            if (emit) {
                if (ranges != null && (minMatchLen == 0 || matchLen >= minMatchLen)) {
                    ranges.add(new long[] {aStart, aEnd, bStart, bEnd, matchLen});
                }
                aStart = alen;
            }
        }

        Reply r = ctx.reply;
        if (getIdx) {
            r.map(2);
            r.bulk(Bytes.ascii("matches"));
            r.array(ranges.size());
            for (long[] m : ranges) {
                r.array(withMatchLen ? 3 : 2);
                r.array(2);
                r.integer(m[0]);
                r.integer(m[1]);
                r.array(2);
                r.integer(m[2]);
                r.integer(m[3]);
                if (withMatchLen) {
                    r.integer(m[4]);
                }
            }
            r.bulk(Bytes.ascii("len"));
            r.integer(total);
        } else if (getLen) {
            r.integer(total);
        } else {
            r.bulk(result);
        }
    }
}
