package io.cachalot.core.script;

/**
 * Redis' rand48 (rand.c), behind math.random in scripts: the same sequence on every platform,
 * one state for the whole server that scripts share, as in Redis 7 (no reseeding per script).
 */
final class Rand48 {
    private static final long A = 0x5DEECE66DL;
    private static final long MASK = (1L << 48) - 1;
    private long x = 0x1234ABCD330EL;

    /** The next value in [0, 2^31). */
    synchronized int next() {
        x = (A * x + 0xB) & MASK;
        return (int) (x >>> 17);
    }

    /** math.randomseed: Redis' redisSrand48. */
    synchronized void seed(int seed) {
        x = ((seed & 0xFFFFFFFFL) << 16 | 0x330E) & MASK;
    }
}
