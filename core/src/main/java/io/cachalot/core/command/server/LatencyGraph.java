package io.cachalot.core.command.server;

import io.cachalot.core.stats.LatencyMonitor;

import java.util.ArrayList;
import java.util.List;

/** LATENCY GRAPH: Redis' ASCII sparkline of an event's samples, with "seconds ago" labels. */
final class LatencyGraph {
    private static final int COLUMNS = 80;
    private static final int ROWS = 4;
    private static final char[] FILL = {'_', 'o', '#'};
    private static final int LABEL_MARGIN_TOP = 1;

    private LatencyGraph() {
    }

    static String render(String event, LatencyMonitor.Series s) {
        List<long[]> samples = s.samples();
        long now = System.currentTimeMillis() / 1000;
        long min = 0;
        long max = 0;
        List<String> labels = new ArrayList<>();
        long[] values = new long[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            long v = samples.get(i)[1];
            if (i == 0) {
                min = v;
                max = v;
            } else {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
            values[i] = v;
            long elapsed = now - samples.get(i)[0];
            String label;
            if (elapsed < 60) {
                label = elapsed + "s";
            } else if (elapsed < 3600) {
                label = elapsed / 60 + "m";
            } else if (elapsed < 3600 * 24) {
                label = elapsed / 3600 + "h";
            } else {
                label = elapsed / (3600 * 24) + "d";
            }
            labels.add(label);
        }
        StringBuilder out = new StringBuilder();
        out.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
                .append(" ms (all time high ").append(s.max).append(" ms)\n");
        out.append("-".repeat(COLUMNS)).append('\n');
        for (int j = 0; j < values.length; j += COLUMNS) {
            int len = Math.min(COLUMNS, values.length - j);
            if (j != 0) {
                out.append('\n');
            }
            renderRange(out, values, labels, min, max, j, len);
        }
        return out.toString();
    }

    private static void renderRange(StringBuilder out, long[] values, List<String> labels, long min, long max,
                                    int offset, int len) {
        double relmax = max - min;
        if (relmax == 0) {
            relmax = 1;
        }
        int steps = FILL.length * ROWS;
        char[] chars = new char[len];
        int row = 0;
        boolean loop = true;
        while (loop) {
            loop = false;
            java.util.Arrays.fill(chars, ' ');
            for (int j = 0; j < len; j++) {
                double relval = values[j + offset] - min;
                int step = (int) ((relval * steps) / relmax);
                step = Math.max(0, Math.min(steps - 1, step));
                if (row < ROWS) {
                    int idx = step - ((ROWS - row - 1) * FILL.length);
                    loop = true;
                    if (idx >= 0 && idx < FILL.length) {
                        chars[j] = FILL[idx];
                    } else if (idx >= FILL.length) {
                        chars[j] = '|';
                    }
                } else {
                    if (!labels.isEmpty() && row - ROWS < LABEL_MARGIN_TOP) {
                        loop = true;
                        break;
                    }
                    String label = labels.get(j + offset);
                    int labelChar = row - ROWS - LABEL_MARGIN_TOP;
                    if (label.length() > labelChar) {
                        loop = true;
                        chars[j] = label.charAt(labelChar);
                    }
                }
            }
            if (loop) {
                row++;
                out.append(chars).append('\n');
            }
        }
    }
}
