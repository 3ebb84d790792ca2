package io.cachalot.core.command;

import io.cachalot.core.util.Bytes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Commands by name, looked up case-insensitively straight from the request bytes without
 * allocating (open addressing over a case-folded hash).
 */
public final class CommandTable {
    private CommandSpec[] slots = new CommandSpec[64];
    private final List<CommandSpec> all = new ArrayList<>();

    public void add(CommandSpec spec) {
        if (find(spec.nameBytes, 0, spec.nameBytes.length) != null) {
            throw new IllegalArgumentException("duplicate command " + spec.fullName);
        }
        all.add(spec);
        if (all.size() * 2 > slots.length) {
            CommandSpec[] old = slots;
            slots = new CommandSpec[old.length * 2];
            for (CommandSpec s : old) {
                if (s != null) {
                    insert(s);
                }
            }
        }
        insert(spec);
    }

    private void insert(CommandSpec spec) {
        int mask = slots.length - 1;
        int i = foldedHash(spec.nameBytes, 0, spec.nameBytes.length) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = spec;
    }

    public CommandSpec find(byte[] name) {
        return find(name, 0, name.length);
    }

    public CommandSpec find(String name) {
        return find(Bytes.ascii(name));
    }

    public CommandSpec find(byte[] name, int off, int len) {
        CommandSpec[] t = slots;
        int mask = t.length - 1;
        int i = foldedHash(name, off, len) & mask;
        CommandSpec s;
        while ((s = t[i]) != null) {
            if (equalsFolded(s.nameBytes, name, off, len)) {
                return s;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    public List<CommandSpec> all() {
        return Collections.unmodifiableList(all);
    }

    public int size() {
        return all.size();
    }

    private static int foldedHash(byte[] b, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ Bytes.toLower(b[i])) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static boolean equalsFolded(byte[] lower, byte[] b, int off, int len) {
        if (lower.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (lower[i] != Bytes.toLower(b[off + i])) {
                return false;
            }
        }
        return true;
    }
}
