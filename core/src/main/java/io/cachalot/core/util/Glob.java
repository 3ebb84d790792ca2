package io.cachalot.core.util;

/**
 * Glob-style matching with the semantics of Redis' pattern matcher (KEYS, SCAN MATCH, CONFIG GET,
 * CLIENT KILL ...): '*', '?', '[...]' with '^' negation and 'a-z' ranges (reversed ranges allowed),
 * and '\' escapes. Bytes compare as signed chars, as in the C original, so ranges over bytes above
 * 0x7f behave identically. A matcher instance is reusable but not thread-safe.
 */
public final class Glob {
    private final byte[] pattern;
    private final boolean nocase;
    private final boolean matchAll;
    private boolean skipLongerMatches;

    public Glob(byte[] pattern, boolean nocase) {
        this.pattern = pattern;
        this.nocase = nocase;
        boolean all = pattern.length > 0;
        for (byte b : pattern) {
            if (b != '*') {
                all = false;
                break;
            }
        }
        this.matchAll = all;
    }

    public boolean matches(byte[] s) {
        return matches(s, 0, s.length);
    }

    public boolean matches(byte[] s, int off, int len) {
        if (matchAll) {
            return true;
        }
        skipLongerMatches = false;
        return match(0, pattern.length, s, off, len, 0);
    }

    public static boolean matches(byte[] pattern, byte[] s, boolean nocase) {
        return new Glob(pattern, nocase).matches(s);
    }

    public static boolean matches(String pattern, String s, boolean nocase) {
        return new Glob(Bytes.ascii(pattern), nocase).matches(Bytes.ascii(s));
    }

    /** The pattern byte at {@code i}, or 0 past the end (the C code reads the terminating NUL). */
    private int p(int i) {
        return i < pattern.length ? pattern[i] : 0;
    }

    private int fold(int c) {
        return nocase ? Bytes.toLower(c) : c;
    }

    private boolean match(int pi, int plen, byte[] s, int si, int slen, int nesting) {
        if (nesting > 1000) {
            return false;
        }
        while (plen > 0 && slen > 0) {
            switch (p(pi)) {
                case '*': {
                    while (plen > 0 && p(pi + 1) == '*') {
                        pi++;
                        plen--;
                    }
                    if (plen == 1) {
                        return true;
                    }
                    while (slen > 0) {
                        if (match(pi + 1, plen - 1, s, si, slen, nesting + 1)) {
                            return true;
                        }
                        if (skipLongerMatches) {
                            return false;
                        }
                        si++;
                        slen--;
                    }
                    // Nothing after this star matches anywhere in the rest: earlier stars cannot help.
                    skipLongerMatches = true;
                    return false;
                }
                case '?':
                    si++;
                    slen--;
                    break;
                case '[': {
                    pi++;
                    plen--;
                    boolean not = p(pi) == '^';
                    if (not) {
                        pi++;
                        plen--;
                    }
                    boolean matched = false;
                    int c = s[si];
                    while (true) {
                        if (p(pi) == '\\' && plen >= 2) {
                            pi++;
                            plen--;
                            if (p(pi) == c) {
                                matched = true;
                            }
                        } else if (p(pi) == ']') {
                            break;
                        } else if (plen == 0) {
                            pi--;
                            plen++;
                            break;
                        } else if (plen >= 3 && p(pi + 1) == '-') {
                            int start = p(pi);
                            int end = p(pi + 2);
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            int cc = c;
                            if (nocase) {
                                start = Bytes.toLower(start);
                                end = Bytes.toLower(end);
                                cc = Bytes.toLower(cc);
                            }
                            pi += 2;
                            plen -= 2;
                            if (cc >= start && cc <= end) {
                                matched = true;
                            }
                        } else if (fold(p(pi)) == fold(c)) {
                            matched = true;
                        }
                        pi++;
                        plen--;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    si++;
                    slen--;
                    break;
                }
                case '\\':
                    if (plen >= 2) {
                        pi++;
                        plen--;
                    }
                    // fall through: the escaped byte matches literally
                default:
                    if (fold(p(pi)) != fold(s[si])) {
                        return false;
                    }
                    si++;
                    slen--;
                    break;
            }
            pi++;
            plen--;
            if (slen == 0) {
                while (p(pi) == '*') {
                    pi++;
                    plen--;
                }
                break;
            }
        }
        return plen == 0 && slen == 0;
    }
}
