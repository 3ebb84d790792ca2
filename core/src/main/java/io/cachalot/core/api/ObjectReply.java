package io.cachalot.core.api;

import io.cachalot.core.command.Reply;
import io.cachalot.core.util.Bytes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reply sink that builds Java values, for in-process callers: bulk strings as {@code byte[]},
 * status replies as {@link String}, integers as {@link Long}, doubles as {@link Double},
 * booleans, arrays and sets as {@link List}, maps as {@link LinkedHashMap}, nulls as null and
 * errors as {@link ReplyError}. Reusable: {@link #take()} returns the completed value and resets.
 */
public final class ObjectReply extends Reply {
    /** An error reply as a value. */
    public static final class ReplyError {
        private final String message;

        public ReplyError(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return message;
        }
    }

    /** A container being filled: a list, or a map collecting keys and values alternately. */
    /** The container of an attribute's pairs: skipped, not a value. */
    private static final Object ATTRIBUTE = new Object();

    private static final class Frame {
        final Object container;
        int remaining;
        Object pendingKey;
        boolean haveKey;

        Frame(Object container, int remaining) {
            this.container = container;
            this.remaining = remaining;
        }
    }

    private final Deque<Frame> stack = new ArrayDeque<>();
    private final List<Object> done = new ArrayList<>(1);
    private int protocol = 3;

    /** The next complete top-level value, or throws when none was produced. */
    public Object take() {
        if (done.isEmpty()) {
            throw new IllegalStateException("no complete reply");
        }
        return done.remove(0);
    }

    @SuppressWarnings("unchecked")
    private void add(Object v) {
        Frame f = stack.peek();
        if (f == null) {
            done.add(v);
            return;
        }
        if (f.container == ATTRIBUTE) {
            if (--f.remaining == 0) {
                stack.pop();
            }
            return;
        }
        if (f.container instanceof Map) {
            if (!f.haveKey) {
                f.pendingKey = v;
                f.haveKey = true;
                f.remaining--;
                return;
            }
            Object k = f.pendingKey instanceof byte[] ? Bytes.latin1((byte[]) f.pendingKey) : f.pendingKey;
            ((Map<Object, Object>) f.container).put(k, v);
            f.haveKey = false;
        } else {
            ((List<Object>) f.container).add(v);
        }
        if (--f.remaining == 0) {
            stack.pop();
            add(f.container);
        }
    }

    private void open(Object container, int n) {
        if (n == 0) {
            add(container);
        } else {
            stack.push(new Frame(container, n));
        }
    }

    @Override
    protected void writeError(String message) {
        add(new ReplyError(message));
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void switchProtocol(int protocol) {
        this.protocol = protocol;
    }

    @Override
    public void status(String s) {
        add(s);
    }

    @Override
    public void integer(long v) {
        add(v);
    }

    @Override
    public void bulk(byte[] b, int off, int len) {
        add(off == 0 && len == b.length ? b.clone() : java.util.Arrays.copyOfRange(b, off, off + len));
    }

    @Override
    public void nullBulk() {
        add(null);
    }

    @Override
    public void nullArray() {
        add(null);
    }

    @Override
    public void array(int n) {
        open(new ArrayList<>(n), n);
    }

    @Override
    public void map(int n) {
        open(new LinkedHashMap<>(), 2 * n);
    }

    @Override
    public void set(int n) {
        open(new ArrayList<>(n), n);
    }

    @Override
    public void attribute(int n) {
        if (n > 0) {
            stack.push(new Frame(ATTRIBUTE, 2 * n));
        }
    }

    @Override
    public void push(int n) {
        open(new ArrayList<>(n), n);
    }

    @Override
    public void doubleValue(double d) {
        add(d);
    }

    @Override
    public void bool(boolean b) {
        add(b);
    }

    @Override
    public void verbatim(String format, byte[] text) {
        add(text.clone());
    }

    @Override
    public void bigNumber(String digits) {
        add(new java.math.BigInteger(digits));
    }
}
