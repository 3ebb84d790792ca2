package io.cachalot.core.command.geo;

import java.util.Comparator;

/**
 * Redis' pqsort: Bentley and McIlroy's quicksort ("Engineering a Sort Function": median of three,
 * or pseudo-median of nine above 40 elements, three-way partition moving equal keys to the ends,
 * insertion sort below 7) that only recurses into parts overlapping the wanted index range. Not
 * stable; GEOSEARCH ... COUNT uses it when it returns fewer points than it found, so members at
 * equal distances come in the order this exact procedure leaves them, as from redis-server.
 */
final class PartialSort {
    private PartialSort() {
    }

    /** Sorts enough of {@code x[from, from + n)} that indexes {@code left..right} hold their final elements. */
    static <T> void sort(T[] x, int from, int n, Comparator<? super T> c, int left, int right) {
        while (true) {
            if (n < 7) {
                for (int m = from + 1; m < from + n; m++) {
                    for (int l = m; l > from && c.compare(x[l - 1], x[l]) > 0; l--) {
                        swap(x, l, l - 1);
                    }
                }
                return;
            }
            int pm = from + n / 2;
            if (n > 7) {
                int pl = from;
                int pn = from + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = median(x, pl, pl + d, pl + 2 * d, c);
                    pm = median(x, pm - d, pm, pm + d, c);
                    pn = median(x, pn - 2 * d, pn - d, pn, c);
                }
                pm = median(x, pl, pm, pn, c);
            }
            swap(x, from, pm);
            int pa = from + 1;
            int pb = pa;
            int pc = from + n - 1;
            int pd = pc;
            while (true) {
                int r;
                while (pb <= pc && (r = c.compare(x[pb], x[from])) <= 0) {
                    if (r == 0) {
                        swap(x, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (r = c.compare(x[pc], x[from])) >= 0) {
                    if (r == 0) {
                        swap(x, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(x, pb, pc);
                pb++;
                pc--;
            }
            int end = from + n;
            int r = Math.min(pa - from, pb - pa);
            swapRuns(x, from, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapRuns(x, pb, end - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(from, r, left, right)) {
                sort(x, from, r, c, left, right);
            }
            r = pd - pc;
            if (r > 1 && overlaps(end - r, r, left, right)) {
                from = end - r;
                n = r;
                continue;
            }
            return;
        }
    }

    private static boolean overlaps(int start, int count, int left, int right) {
        return !(right < start || left >= start + count);
    }

    private static <T> int median(T[] x, int a, int b, int d, Comparator<? super T> c) {
        return c.compare(x[a], x[b]) < 0
                ? (c.compare(x[b], x[d]) < 0 ? b : (c.compare(x[a], x[d]) < 0 ? d : a))
                : (c.compare(x[b], x[d]) > 0 ? b : (c.compare(x[a], x[d]) < 0 ? a : d));
    }

    private static <T> void swap(T[] x, int i, int j) {
        T t = x[i];
        x[i] = x[j];
        x[j] = t;
    }

    /** Swaps {@code x[a + k]} and {@code x[b + k]} for k below {@code n}. */
    private static <T> void swapRuns(T[] x, int a, int b, int n) {
        for (int k = 0; k < n; k++) {
            swap(x, a + k, b + k);
        }
    }
}
