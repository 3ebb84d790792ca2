package io.cachalot.core.util;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into arguments as Redis' sdssplitargs does, for inline commands and config
 * files: blanks separate arguments; "double quotes" allow \n \r \t \b \a and \xHH escapes;
 * 'single quotes' allow \' only; a closing quote must be followed by a blank or the end; a NUL
 * byte ends the line.
 */
public final class ArgSplitter {
    private ArgSplitter() {
    }

    /** The arguments, or null for unbalanced quotes. */
    public static List<byte[]> split(byte[] line, int off, int len) {
        List<byte[]> out = new ArrayList<>();
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (line[i] == 0) {
                end = i;
                break;
            }
        }
        int p = off;
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        while (true) {
            while (p < end && isSpace(line[p])) {
                p++;
            }
            if (p >= end) {
                return out;
            }
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            cur.reset();
            while (!done) {
                int c = p < end ? line[p] : 0;
                int c1 = p + 1 < end ? line[p + 1] : 0;
                if (inq) {
                    if (c == '\\' && c1 == 'x' && p + 3 < end && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        cur.write(Character.digit(line[p + 2], 16) * 16 + Character.digit(line[p + 3], 16));
                        p += 3;
                    } else if (c == '\\' && c1 != 0) {
                        p++;
                        switch (c1) {
                            case 'n': cur.write('\n'); break;
                            case 'r': cur.write('\r'); break;
                            case 't': cur.write('\t'); break;
                            case 'b': cur.write('\b'); break;
                            case 'a': cur.write(7); break;
                            default: cur.write(c1); break;
                        }
                    } else if (c == '"') {
                        if (c1 != 0 && !isSpace((byte) c1)) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else if (insq) {
                    if (c == '\\' && c1 == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (c1 != 0 && !isSpace((byte) c1)) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ':
                        case '\n':
                        case '\r':
                        case '\t':
                        case 0:
                            done = true;
                            break;
                        case '"':
                            inq = true;
                            break;
                        case '\'':
                            insq = true;
                            break;
                        default:
                            cur.write(c);
                            break;
                    }
                }
                if (p < end) {
                    p++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    public static List<byte[]> split(byte[] line) {
        return split(line, 0, line.length);
    }

    /** C's isspace in the C locale. */
    public static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
