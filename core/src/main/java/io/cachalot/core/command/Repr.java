package io.cachalot.core.command;

/** Quotes bytes as Redis' sdscatrepr does (MONITOR lines, CLIENT LIST names are not quoted). */
public final class Repr {
    private Repr() {
    }

    public static void append(StringBuilder sb, byte[] b) {
        sb.append('"');
        for (byte x : b) {
            int c = x & 0xFF;
            switch (c) {
                case '\\': sb.append("\\\\"); break;
                case '"': sb.append("\\\""); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case 7: sb.append("\\a"); break;
                case 8: sb.append("\\b"); break;
                default:
                    if (c >= 32 && c < 127) {
                        sb.append((char) c);
                    } else {
                        sb.append("\\x");
                        sb.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    }
            }
        }
        sb.append('"');
    }

    public static String of(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length + 2);
        append(sb, b);
        return sb.toString();
    }
}
