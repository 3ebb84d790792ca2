package io.cachalot.core.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Doubles as Redis reads and writes them: formatting exactly as C's {@code printf("%.17g")}, and
 * parsing with C's strtod grammar under Redis' two sets of rules (strict for values such as
 * scores, lenient for range bounds).
 */
public final class Doubles {
    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

    private Doubles() {
    }

    public static String format17g(double d) {
        // integers below 2^53 print as themselves (the common case of scores)
        if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (long) d && d != 0) {
            return Long.toString((long) d);
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(d).round(SEVENTEEN);
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 17) {
            String digits = bd.unscaledValue().abs().toString();
            int end = digits.length();
            while (end > 1 && digits.charAt(end - 1) == '0') {
                end--;
            }
            StringBuilder sb = new StringBuilder(32);
            if (bd.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (end > 1) {
                sb.append('.').append(digits, 1, end);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            sb.append(a);
            return sb.toString();
        }
        String s = bd.toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s;
    }


    /** {@link #format17g} as ASCII bytes. */
    public static byte[] format17gBytes(double d) {
        if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (long) d && d != 0) {
            return Numbers.toBytes((long) d);
        }
        return Bytes.ascii(format17g(d));
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == 0x0c || c == '\r';
    }

    /**
     * Parses as Redis' string2d (scores, weights, increments): the whole string, no leading space,
     * no NaN, and no overflow or underflow to zero. Returns NaN when Redis would refuse it.
     */
    public static double parseStrict(byte[] b) {
        if (b.length == 0 || isSpace(b[0])) {
            return Double.NaN;
        }
        double fast = plainInteger(b);
        if (!Double.isNaN(fast)) {
            return fast;
        }
        return parse(b, 0, b.length, true);
    }

    /**
     * Parses as SORT reads values: strtod over the whole string (leading space allowed, "" is 0),
     * refusing values out of range (ERANGE) and NaN. Returns NaN when refused.
     */
    public static double parseSortValue(byte[] b) {
        double d = parse(b, 0, b.length, false, true);
        // glibc also sets ERANGE for subnormal results, which SORT refuses
        return d != 0 && Math.abs(d) < Double.MIN_NORMAL ? Double.NaN : d;
    }

    /**
     * Parses as strtod over the whole string, the way Redis reads score range bounds: leading
     * space allowed, the empty string is 0, out-of-range values become infinity or zero. Returns
     * NaN when the string is not entirely a number (or is NaN).
     */
    public static double parseLenient(byte[] b, int off, int len) {
        return parse(b, off, len, false, false);
    }

    private static double parse(byte[] b, int off, int len, boolean strict) {
        return parse(b, off, len, strict, strict);
    }

    /**
     * @param strict      refuse "" (strtod converts nothing) — leading space is the caller's check
     * @param rejectRange refuse values that overflow or underflow to zero (errno ERANGE)
     */
    private static double parse(byte[] b, int off, int len, boolean strict, boolean rejectRange) {
        int i = off;
        int end = off + len;
        while (i < end && isSpace(b[i])) {
            i++;
        }
        if (i == end) {
            // strtod converts nothing and points back at the start: only "" ends there
            return len == 0 && !strict ? 0.0 : Double.NaN;
        }
        boolean negative = false;
        if (b[i] == '+' || b[i] == '-') {
            negative = b[i] == '-';
            i++;
        }
        String rest = Bytes.latin1(b, i, end - i).toLowerCase(java.util.Locale.ROOT);
        if (rest.equals("inf") || rest.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double v;
        boolean nonZeroDigit = false;
        if (rest.startsWith("0x")) {
            int p = 2;
            int digits = 0;
            while (p < rest.length() && Character.digit(rest.charAt(p), 16) >= 0) {
                nonZeroDigit |= rest.charAt(p) != '0';
                p++;
                digits++;
            }
            if (p < rest.length() && rest.charAt(p) == '.') {
                p++;
                while (p < rest.length() && Character.digit(rest.charAt(p), 16) >= 0) {
                    nonZeroDigit |= rest.charAt(p) != '0';
                    p++;
                    digits++;
                }
            }
            if (digits == 0) {
                return Double.NaN; // strtod reads "0" and stops at "x"
            }
            String mantissa = rest.substring(0, p);
            String exp = "p0";
            if (p < rest.length()) {
                if (rest.charAt(p) != 'p' || !validExponent(rest, p + 1)) {
                    return Double.NaN;
                }
                exp = rest.substring(p);
            }
            v = Double.parseDouble(mantissa + exp);
        } else {
            int p = 0;
            int digits = 0;
            while (p < rest.length() && rest.charAt(p) >= '0' && rest.charAt(p) <= '9') {
                nonZeroDigit |= rest.charAt(p) != '0';
                p++;
                digits++;
            }
            if (p < rest.length() && rest.charAt(p) == '.') {
                p++;
                while (p < rest.length() && rest.charAt(p) >= '0' && rest.charAt(p) <= '9') {
                    nonZeroDigit |= rest.charAt(p) != '0';
                    p++;
                    digits++;
                }
            }
            if (digits == 0) {
                return Double.NaN;
            }
            if (p < rest.length() && (rest.charAt(p) != 'e' || !validExponent(rest, p + 1))) {
                return Double.NaN;
            }
            v = Double.parseDouble(rest);
        }
        if (rejectRange && (Double.isInfinite(v) || (v == 0 && nonZeroDigit))) {
            return Double.NaN; // ERANGE: overflow, or underflow to zero
        }
        return negative ? -v : v;
    }

    /**
     * The value of a plain decimal integer of at most 15 digits (sign allowed, leading zeros too),
     * exactly representable; NaN for anything else (then the general parser decides).
     */
    private static double plainInteger(byte[] b) {
        int i = 0;
        boolean negative = false;
        if (b[0] == '-' || b[0] == '+') {
            negative = b[0] == '-';
            i = 1;
        }
        int digits = b.length - i;
        if (digits == 0 || digits > 15) {
            return Double.NaN;
        }
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return Double.NaN;
            }
            v = v * 10 + d;
        }
        return negative ? -(double) v : (double) v;
    }

    private static boolean validExponent(String s, int p) {
        if (p < s.length() && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
            p++;
        }
        if (p >= s.length()) {
            return false;
        }
        for (; p < s.length(); p++) {
            if (s.charAt(p) < '0' || s.charAt(p) > '9') {
                return false;
            }
        }
        return true;
    }
}
