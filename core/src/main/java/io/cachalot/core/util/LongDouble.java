package io.cachalot.core.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The x87 80-bit "long double" arithmetic that Redis uses for INCRBYFLOAT and HINCRBYFLOAT on
 * x86-64, emulated exactly: values carry a 64-bit significand, are parsed as glibc's strtold
 * does, and are printed as {@code printf("%.17Lf")} with trailing zeros removed. With plain Java
 * doubles 10.5 + 0.1 would print as 10.59999999999999964; Redis prints 10.6.
 *
 * <p>Instances are immutable; infinities are represented, NaN is not (callers reject it).
 */
public final class LongDouble {
    /** Significand bits of the x87 extended format. */
    private static final int PRECISION = 64;
    /** Exponent of the smallest subnormal: 2^-16445. */
    private static final int MIN_QUANTUM_EXP = -16445;
    /** Values at or above 2^16384 overflow to infinity. */
    private static final int MAX_EXP = 16383;
    /** Redis refuses to parse strings this long or longer (MAX_LONG_DOUBLE_CHARS). */
    private static final int MAX_CHARS = 5 * 1024;

    public static final LongDouble ZERO = new LongDouble(BigDecimal.ZERO, 0);
    private static final LongDouble POSITIVE_INFINITY = new LongDouble(null, 1);
    private static final LongDouble NEGATIVE_INFINITY = new LongDouble(null, -1);

    private final BigDecimal exact;
    private final int infinity;

    private LongDouble(BigDecimal exact, int infinity) {
        this.exact = exact;
        this.infinity = infinity;
    }

    public boolean isInfinite() {
        return infinity != 0;
    }

    public static LongDouble of(long v) {
        // Every long fits the 64-bit significand exactly.
        return new LongDouble(BigDecimal.valueOf(v), 0);
    }

    /** The sum rounded to extended precision; infinite on overflow or when an operand is. */
    public LongDouble add(LongDouble o) {
        if (infinity != 0 || o.infinity != 0) {
            return infinity != 0 ? this : o;
        }
        return round(exact.add(o.exact));
    }

    /**
     * Parses as Redis' string2ld: the whole string must be consumed by strtold, no leading space,
     * not NaN, and no overflow or underflow to zero. Returns null when Redis would reject it.
     */
    public static LongDouble parse(byte[] b) {
        int len = b.length;
        if (len == 0 || len >= MAX_CHARS) {
            return null;
        }
        // strtold must consume the whole string: an embedded NUL leaves bytes unparsed.
        for (int i = 0; i < len; i++) {
            if (b[i] == 0) {
                return null;
            }
        }
        if (isSpace(b[0])) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (b[i] == '+' || b[i] == '-') {
            negative = b[i] == '-';
            i++;
        }
        String rest = Bytes.latin1(b, i, len - i);
        String lower = rest.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (lower.startsWith("nan")) {
            return null;
        }
        LongDouble v;
        if (lower.startsWith("0x")) {
            v = parseHex(lower.substring(2));
        } else {
            v = parseDecimal(rest);
        }
        if (v == null || !negative) {
            return v;
        }
        return v.infinity != 0 ? v.negate() : new LongDouble(v.exact.negate(), 0);
    }

    private LongDouble negate() {
        if (infinity != 0) {
            return infinity > 0 ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        return new LongDouble(exact.negate(), 0);
    }

    private static LongDouble parseDecimal(String s) {
        int n = s.length();
        int i = 0;
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        int mantissaEnd = i;
        long exponent = 0;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            exponent = exponentSuffix(s, i + 1);
            if (exponent == NO_EXPONENT) {
                return null; // strtold would stop before the 'e' or at junk: not fully consumed
            }
        } else if (i != n) {
            return null;
        }
        BigDecimal mantissa = new BigDecimal(s.substring(0, mantissaEnd));
        if (mantissa.signum() == 0) {
            return ZERO;
        }
        // Decimal exponent of the leading digit; far outside the extended range means overflow or underflow.
        long leading = mantissa.precision() - (long) mantissa.scale() - 1 + exponent;
        if (leading > 4940) {
            return null; // ERANGE with HUGE_VAL
        }
        if (leading < -4960) {
            return null; // ERANGE with zero
        }
        BigDecimal value = mantissa.scaleByPowerOfTen((int) exponent);
        LongDouble r = round(value);
        if (r.infinity != 0 || r.exact.signum() == 0) {
            return null;
        }
        return r;
    }

    private static LongDouble parseHex(String s) {
        int n = s.length();
        int i = 0;
        BigInteger mant = BigInteger.ZERO;
        int digits = 0;
        int fracDigits = 0;
        boolean dot = false;
        while (i < n) {
            char c = s.charAt(i);
            int d = Character.digit(c, 16);
            if (d >= 0) {
                mant = mant.shiftLeft(4).or(BigInteger.valueOf(d));
                digits++;
                if (dot) {
                    fracDigits++;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
            i++;
        }
        if (digits == 0) {
            return null; // glibc parses "0x" as 0 followed by junk "x": not fully consumed
        }
        long exponent = 0;
        if (i < n && s.charAt(i) == 'p') {
            exponent = exponentSuffix(s, i + 1);
            if (exponent == NO_EXPONENT) {
                return null;
            }
        } else if (i != n) {
            return null;
        }
        if (mant.signum() == 0) {
            return ZERO;
        }
        long binExp = exponent - 4L * fracDigits;
        long top = binExp + mant.bitLength();
        if (top > MAX_EXP + 2 || top < MIN_QUANTUM_EXP - 2) {
            return null;
        }
        BigDecimal value = times2(new BigDecimal(mant), (int) binExp);
        LongDouble r = round(value);
        if (r.infinity != 0 || r.exact.signum() == 0) {
            return null;
        }
        return r;
    }

    private static final long NO_EXPONENT = Long.MIN_VALUE;

    /**
     * The exponent after 'e' or 'p' starting at {@code from}: an optional sign and digits that must
     * end the string; {@link #NO_EXPONENT} otherwise. Saturates far beyond any usable exponent.
     */
    private static long exponentSuffix(String s, int from) {
        int n = s.length();
        int j = from;
        boolean negative = false;
        if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
            negative = s.charAt(j) == '-';
            j++;
        }
        int start = j;
        long exponent = 0;
        while (j < n && isDigit(s.charAt(j))) {
            if (exponent < 1_000_000_000L) {
                exponent = exponent * 10 + (s.charAt(j) - '0');
            }
            j++;
        }
        if (j == start || j != n) {
            return NO_EXPONENT;
        }
        return negative ? -exponent : exponent;
    }

    private static BigDecimal times2(BigDecimal v, int exp) {
        if (exp >= 0) {
            return new BigDecimal(v.toBigIntegerExact().shiftLeft(exp));
        }
        // v * 2^-k = v * 5^k / 10^k, exact.
        return new BigDecimal(v.toBigIntegerExact().multiply(BigInteger.valueOf(5).pow(-exp)), -exp);
    }

    /** Rounds an exact decimal to the nearest extended-precision value, ties to even. */
    static LongDouble round(BigDecimal v) {
        int sign = v.signum();
        if (sign == 0) {
            return ZERO;
        }
        BigDecimal abs = v.abs();
        BigInteger num;
        BigInteger den;
        if (abs.scale() > 0) {
            num = abs.unscaledValue();
            den = BigInteger.TEN.pow(abs.scale());
        } else {
            num = abs.unscaledValue().multiply(BigInteger.TEN.pow(-abs.scale()));
            den = BigInteger.ONE;
        }
        // k = floor(log2(num/den))
        int k = num.bitLength() - den.bitLength();
        if (k >= 0 ? num.compareTo(den.shiftLeft(k)) < 0 : num.shiftLeft(-k).compareTo(den) < 0) {
            k--;
        }
        if (k > MAX_EXP) {
            return sign > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
        }
        int q = Math.max(k - (PRECISION - 1), MIN_QUANTUM_EXP);
        // mantissa = round(num / (den * 2^q))
        BigInteger n2 = q < 0 ? num.shiftLeft(-q) : num;
        BigInteger d2 = q > 0 ? den.shiftLeft(q) : den;
        BigInteger[] qr = n2.divideAndRemainder(d2);
        BigInteger m = qr[0];
        int cmp = qr[1].shiftLeft(1).compareTo(d2);
        if (cmp > 0 || (cmp == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        if (m.bitLength() > PRECISION && k + 1 > MAX_EXP) {
            return sign > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
        }
        BigDecimal r = times2(new BigDecimal(m), q);
        return new LongDouble(sign < 0 ? r.negate() : r, 0);
    }

    /**
     * {@code (long long)(value * 1000)} as C on x86-64 computes it: truncated toward zero, and
     * the "integer indefinite" Long.MIN_VALUE when out of range (Redis' timeouts in seconds).
     */
    public long thousandthsTruncated() {
        if (infinity != 0) {
            return Long.MIN_VALUE;
        }
        BigDecimal ms = round(exact.multiply(BigDecimal.valueOf(1000))).exact;
        if (ms == null) {
            return Long.MIN_VALUE;
        }
        java.math.BigInteger t = ms.toBigInteger();
        if (t.bitLength() > 63) {
            return Long.MIN_VALUE;
        }
        return t.longValue();
    }

    private static final long TEN_17 = 100_000_000_000_000_000L;

    /**
     * A double printed as Redis prints it through a long double (addReplyHumanLongDouble: the
     * exact value to 17 decimals, half-even, trailing zeros removed). Doubles of moderate size
     * (GEO coordinates) are done in 128-bit integer arithmetic; the rest through BigDecimal.
     */
    public static byte[] human(double d) {
        if (Double.isInfinite(d)) {
            return (d > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY).toHumanBytes();
        }
        long bits = Double.doubleToRawLongBits(d);
        int biased = (int) ((bits >>> 52) & 0x7ff);
        long m = biased == 0 ? (bits & 0xFFFFFFFFFFFFFL) << 1 : (bits & 0xFFFFFFFFFFFFFL) | (1L << 52);
        // d = m * 2^-k
        int k = 1075 - Math.max(biased, 1);
        if (m == 0 || k <= 0 || k > 110) {
            return new LongDouble(new BigDecimal(d), 0).toHumanBytes();
        }
        long integer = k >= 64 ? 0 : m >>> k;
        long fraction = k >= 64 ? m : m & ((1L << k) - 1);
        // round(fraction * 10^17 / 2^k), half-even, on the 128-bit product
        long lo = fraction * TEN_17;
        long hi = Math.multiplyHigh(fraction, TEN_17);
        long q;
        boolean above;
        boolean exactHalf;
        if (k < 64) {
            q = (lo >>> k) | (hi << (64 - k));
            long rem = lo & ((1L << k) - 1);
            long half = 1L << (k - 1);
            above = Long.compareUnsigned(rem, half) > 0;
            exactHalf = rem == half;
        } else if (k == 64) {
            q = hi;
            above = Long.compareUnsigned(lo, Long.MIN_VALUE) > 0;
            exactHalf = lo == Long.MIN_VALUE;
        } else {
            int s = k - 64;
            q = hi >>> s;
            long remHi = hi & ((1L << s) - 1);
            long halfHi = 1L << (s - 1);
            above = remHi > halfHi || (remHi == halfHi && lo != 0);
            exactHalf = remHi == halfHi && lo == 0;
        }
        if (above || (exactHalf && (q & 1) == 1)) {
            q++;
        }
        if (q == TEN_17) {
            integer++;
            q = 0;
        }
        StringBuilder sb = new StringBuilder(40);
        if (d < 0 && (integer != 0 || q != 0)) {
            sb.append('-');
        }
        sb.append(integer);
        if (q != 0) {
            sb.append('.');
            String digits = Long.toString(q);
            for (int i = digits.length(); i < 17; i++) {
                sb.append('0');
            }
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            sb.append(digits, 0, end);
        }
        return Bytes.ascii(sb.toString());
    }

    /** The value as {@code %.17Lf} with trailing fractional zeros (and a bare '.') removed. */
    public byte[] toHumanBytes() {
        if (infinity != 0) {
            return Bytes.ascii(infinity > 0 ? "inf" : "-inf");
        }
        String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int len = s.length();
        if (s.indexOf('.') >= 0) {
            while (s.charAt(len - 1) == '0') {
                len--;
            }
            if (s.charAt(len - 1) == '.') {
                len--;
            }
        }
        s = s.substring(0, len);
        if (s.equals("-0")) {
            s = "0";
        }
        return Bytes.ascii(s);
    }

    @Override
    public String toString() {
        return Bytes.latin1(toHumanBytes());
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }
}
