package io.cachalot.core.command;

import io.cachalot.core.command.meta.MetaNode;
import io.cachalot.core.util.Bytes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A command (or a subcommand such as {@code config|get}) with Redis' metadata — arity, flags, key
 * specs, ACL categories — its handler, and its INFO commandstats counters.
 */
public final class CommandSpec {
    final String name;
    final String fullName;
    final byte[] nameBytes;
    final int arity;
    final long flags;
    final int firstKey;
    final int lastKey;
    final int keyStep;
    final KeySpec[] keySpecs;
    final String[] aclCategories;
    final CommandSpec parent;
    private CommandTable subcommands;
    final CommandHandler handler;
    /** COMMAND INFO entry (RESP3 tree) and COMMAND DOCS entry; may be rebuilt with filtered subcommands. */
    MetaNode info;
    MetaNode docs;
    /** The command's own key finder, or null when its key specs say it all. */
    GetKeysProc getKeysProc;

    public final LongAdder calls = new LongAdder();
    /** Total execution time in nanoseconds (INFO commandstats prints microseconds). */
    public final LongAdder nanos = new LongAdder();
    public final io.cachalot.core.stats.LatencyHistogram histogram = new io.cachalot.core.stats.LatencyHistogram();
    public final LongAdder rejectedCalls = new LongAdder();
    public final LongAdder failedCalls = new LongAdder();

    CommandSpec(String fullName, int arity, long flags, int firstKey, int lastKey, int keyStep,
                KeySpec[] keySpecs, String[] aclCategories, CommandSpec parent, CommandHandler handler,
                MetaNode info, MetaNode docs) {
        this.fullName = fullName;
        int bar = fullName.indexOf('|');
        this.name = bar < 0 ? fullName : fullName.substring(bar + 1);
        this.nameBytes = Bytes.ascii(name);
        this.arity = arity;
        this.flags = flags;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.keySpecs = keySpecs;
        this.aclCategories = aclCategories;
        this.parent = parent;
        this.handler = handler;
        this.info = info;
        this.docs = docs;
    }

    /** The name as typed after its parent (lower case): "get", or "get" for "config|get". */
    public String name() {
        return name;
    }

    /** The name used in errors and stats: "get", "config|get". */
    public String fullName() {
        return fullName;
    }

    public int arity() {
        return arity;
    }

    public long flags() {
        return flags;
    }

    public boolean has(long flag) {
        return (flags & flag) != 0;
    }

    public CommandSpec parent() {
        return parent;
    }

    public CommandHandler handler() {
        return handler;
    }

    public String[] aclCategories() {
        return aclCategories;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    /** Subcommands of a container command (CONFIG, CLIENT ...), or null. */
    public CommandTable subcommands() {
        return subcommands;
    }

    void setSubcommands(CommandTable t) {
        this.subcommands = t;
    }

    public boolean isContainer() {
        return subcommands != null;
    }

    /** True when the argument count fits the arity (negative arity: at least -arity). */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    public boolean hasKeys() {
        return keySpecs.length > 0;
    }

    /**
     * The positions of the keys in {@code argv}, found with the key specs as Redis does; false
     * when the arguments do not fit the specs.
     */
    public boolean keyPositions(byte[][] argv, int argc, KeySpec.IntList out) {
        if (getKeysProc != null) {
            return getKeysProc.keys(argv, argc, out, new java.util.ArrayList<>());
        }
        for (KeySpec ks : keySpecs) {
            if (!ks.collect(argv, argc, out, arity < 0)) {
                out.clear();
                return false;
            }
        }
        return true;
    }

    /** Key flags (the "flags" set of the key spec) for the key at a position found by {@link #keyPositions}. */
    public MetaNode keyFlagsAt(byte[][] argv, int argc, int position) {
        if (getKeysProc != null) {
            KeySpec.IntList pos = new KeySpec.IntList();
            List<MetaNode> flags = new java.util.ArrayList<>();
            if (getKeysProc.keys(argv, argc, pos, flags)) {
                for (int i = 0; i < pos.size(); i++) {
                    if (pos.get(i) == position) {
                        return flags.get(i);
                    }
                }
            }
            return MetaNode.set();
        }
        KeySpec.IntList tmp = new KeySpec.IntList();
        for (KeySpec ks : keySpecs) {
            tmp.clear();
            if (ks.collect(argv, argc, tmp, arity < 0)) {
                for (int i = 0; i < tmp.size(); i++) {
                    if (tmp.get(i) == position) {
                        return ks.flags;
                    }
                }
            }
        }
        return MetaNode.set();
    }

    public MetaNode info() {
        return info;
    }

    public MetaNode docs() {
        return docs;
    }

    public void resetStats() {
        calls.reset();
        nanos.reset();
        histogram.reset();
        rejectedCalls.reset();
        failedCalls.reset();
        if (subcommands != null) {
            for (CommandSpec s : subcommands.all()) {
                s.resetStats();
            }
        }
    }

    /** This command and, for containers, its subcommands. */
    public List<CommandSpec> withSubcommands() {
        List<CommandSpec> out = new ArrayList<>();
        out.add(this);
        if (subcommands != null) {
            out.addAll(subcommands.all());
        }
        return out;
    }

    private static final java.util.Set<String> DATA_CATEGORIES =
            java.util.Set.of("@string", "@list", "@hash", "@set", "@sortedset");

    /**
     * Whether this command, called with {@code argv}, reaches only keys its arguments name, in the
     * client's database: what EXEC and scripts lock for it, else everything.
     */
    public boolean reachesOnlyNamedKeys(byte[][] argv) {
        if (has(CommandFlags.DB_OPTION)) {
            for (int i = 3; i < argv.length; i++) {
                if (io.cachalot.core.util.Bytes.equalsIgnoreCase(argv[i], "db")) {
                    return false; // e.g. a copy into another database
                }
            }
        }
        int n = namedKeysOnly;
        if (n == 0) {
            n = computeNamedKeysOnly() ? 1 : -1;
            namedKeysOnly = n; // a race computes the same answer twice
        }
        return n > 0;
    }

    /** 0 until known, then 1 or -1: what {@link #reachesOnlyNamedKeys} says apart from a DB option. */
    private int namedKeysOnly;

    private boolean computeNamedKeysOnly() {
        if (has(CommandFlags.OTHER_KEYS)) {
            return false;
        }
        if (has(CommandFlags.NAMED_KEYS_ONLY)) {
            return true;
        }
        if (!hasKeys()) {
            return false;
        }
        boolean data = false;
        var cats = info().child(6);
        for (int i = 0; i < cats.size(); i++) {
            String c = cats.child(i).text();
            if (c.equals("@dangerous")) {
                return false;
            }
            data |= DATA_CATEGORIES.contains(c);
        }
        return data;
    }
}
