package io.cachalot.benchmarks;

/** Fields of an INFO reply, for the RESP benchmark tools. */
final class InfoFields {
    private InfoFields() {
    }

    static String text(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        throw new IllegalStateException("no " + name + " in INFO");
    }

    static long number(String info, String name) {
        return Long.parseLong(text(info, name));
    }
}
