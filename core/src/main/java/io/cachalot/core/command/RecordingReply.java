package io.cachalot.core.command;

import java.util.ArrayList;
import java.util.List;

/**
 * A reply recorded on one thread and replayed later, on another, into the client's real sink:
 * how a blocked client served by another client's push gets its reply written by its own
 * connection's thread. Protocol-neutral: the replay renders RESP2 or RESP3 as the target does.
 */
public final class RecordingReply extends Reply {
    private static final int STATUS = 0;
    private static final int ERROR = 1;
    private static final int INTEGER = 2;
    private static final int BULK = 3;
    private static final int NULL_BULK = 4;
    private static final int NULL_ARRAY = 5;
    private static final int ARRAY = 6;
    private static final int MAP = 7;
    private static final int SET = 8;
    private static final int PUSH = 9;
    private static final int DOUBLE = 10;
    private static final int BOOL = 11;
    private static final int VERBATIM = 12;
    private static final int BIG = 13;
    private static final int ATTRIBUTE = 14;
    private static final int HUMAN_DOUBLE = 15;

    private final List<Object[]> ops = new ArrayList<>();
    private final int protocol;

    public RecordingReply(int protocol) {
        this.protocol = protocol;
    }

    /** Whether the reply is an error (a failed call, for commandstats). */
    public boolean isError() {
        return !ops.isEmpty() && (Integer) ops.get(0)[0] == ERROR;
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    public void clear() {
        ops.clear();
    }

    /** Writes everything recorded into {@code r} (errors are counted there, once). */
    public void replayTo(Reply r) {
        for (Object[] op : ops) {
            switch ((Integer) op[0]) {
                case STATUS: r.status((String) op[1]); break;
                case ERROR: r.error((String) op[1], op.length < 3); break;
                case INTEGER: r.integer((Long) op[1]); break;
                case BULK: r.bulk((byte[]) op[1]); break;
                case NULL_BULK: r.nullBulk(); break;
                case NULL_ARRAY: r.nullArray(); break;
                case ARRAY: r.array((Integer) op[1]); break;
                case MAP: r.map((Integer) op[1]); break;
                case SET: r.set((Integer) op[1]); break;
                case PUSH: r.push((Integer) op[1]); break;
                case DOUBLE: r.doubleValue((Double) op[1]); break;
                case HUMAN_DOUBLE: r.humanDouble((byte[]) op[1]); break;
                case BOOL: r.bool((Boolean) op[1]); break;
                case VERBATIM: r.verbatim((String) op[1], (byte[]) op[2]); break;
                case ATTRIBUTE: r.attribute((Integer) op[1]); break;
                default: r.bigNumber((String) op[1]); break;
            }
        }
    }

    private void add(int op, Object a) {
        ops.add(new Object[] {op, a});
    }

    @Override
    protected void writeError(String message) {
        if (errorUncounted()) {
            ops.add(new Object[] {ERROR, message, Boolean.FALSE});
            return;
        }
        add(ERROR, message);
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void switchProtocol(int p) {
        // a served blocking command never switches protocol
    }

    @Override
    public void status(String s) {
        add(STATUS, s);
    }

    @Override
    public void integer(long v) {
        add(INTEGER, v);
    }

    @Override
    public void bulk(byte[] b, int off, int len) {
        add(BULK, java.util.Arrays.copyOfRange(b, off, off + len));
    }

    @Override
    public void nullBulk() {
        add(NULL_BULK, null);
    }

    @Override
    public void nullArray() {
        add(NULL_ARRAY, null);
    }

    @Override
    public void array(int n) {
        add(ARRAY, n);
    }

    @Override
    public void map(int n) {
        add(MAP, n);
    }

    @Override
    public void set(int n) {
        add(SET, n);
    }

    @Override
    public void push(int n) {
        add(PUSH, n);
    }

    @Override
    public void doubleValue(double d) {
        add(DOUBLE, d);
    }

    @Override
    public void humanDouble(byte[] text) {
        add(HUMAN_DOUBLE, text);
    }

    @Override
    public void bool(boolean b) {
        add(BOOL, b);
    }

    @Override
    public void verbatim(String format, byte[] text) {
        ops.add(new Object[] {VERBATIM, format, text.clone()});
    }

    @Override
    public void bigNumber(String digits) {
        add(BIG, digits);
    }

    @Override
    public void attribute(int n) {
        add(ATTRIBUTE, n);
    }
}
