package io.cachalot.core.command;

import io.cachalot.core.command.meta.LaterCommands;
import io.cachalot.core.command.meta.MetaNode;
import io.cachalot.core.command.meta.MetaParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link CommandTable} from Redis' own command metadata (COMMAND INFO and COMMAND DOCS
 * of the reference server, kept as a resource) and the handlers Cachalot registers. A command
 * exists only once it has a handler; COMMAND INFO/DOCS/COUNT describe exactly those, with container
 * commands listing only the subcommands that are implemented.
 */
public final class CommandCatalog {
    private static final String RESOURCE = "meta/redis-commands.resp3";

    private final Map<String, MetaNode> infoByName = new HashMap<>();
    private final Map<String, MetaNode> docsByName = new HashMap<>();
    private final Map<String, CommandHandler> handlers = new LinkedHashMap<>();
    private final Map<String, Long> extraFlags = new HashMap<>();
    private final Map<String, GetKeysProc> keyProcs = new HashMap<>();

    public CommandCatalog() {
        byte[] data;
        try (InputStream in = CommandCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            data = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MetaParser p = new MetaParser(data);
        MetaNode info = p.next();
        MetaNode docs = p.next();
        for (int i = 0; i < info.size(); i++) {
            indexInfo(info.child(i));
        }
        for (int i = 0; i < docs.size(); i += 2) {
            docsByName.put(docs.child(i).text(), docs.child(i + 1));
        }
        LaterCommands.define(new LaterCommands.Definitions() {
            @Override
            public MetaNode info(String fullName) {
                return CommandCatalog.this.info(fullName);
            }

            @Override
            public MetaNode docs(String name) {
                return CommandCatalog.this.docs(name);
            }

            @Override
            public void define(String fullName, MetaNode info, MetaNode docs) {
                CommandCatalog.this.define(fullName, info, docs);
            }
        });
    }

    private void indexInfo(MetaNode entry) {
        infoByName.put(entry.child(0).text(), entry);
        MetaNode subs = entry.child(9);
        for (int i = 0; i < subs.size(); i++) {
            indexInfo(subs.child(i));
        }
    }

    /** The COMMAND INFO entry of a command of the reference server (to amend it). */
    public MetaNode info(String fullName) {
        return infoByName.get(fullName);
    }

    /** The COMMAND DOCS entry of a top-level command. */
    public MetaNode docs(String name) {
        return docsByName.get(name);
    }

    /** Adds metadata for a command the reference server lacks (a later Redis version's). */
    public CommandCatalog define(String fullName, MetaNode info, MetaNode docs) {
        infoByName.put(fullName, info);
        String[] parts = fullName.split("\\|");
        if (parts.length == 1) {
            docsByName.put(fullName, docs);
        } else {
            MetaNode parentDocs = docsByName.get(parts[0]);
            MetaNode subs = parentDocs.get("subcommands");
            List<MetaNode> kv = new ArrayList<>();
            for (int i = 0; i < subs.size(); i++) {
                kv.add(subs.child(i));
            }
            kv.add(MetaNode.bulk(fullName));
            kv.add(docs);
            docsByName.put(parts[0], parentDocs.with("subcommands", MetaNode.map(kv)));
        }
        return this;
    }

    /** Registers the handler of a command or subcommand ("get", "config|get"). */
    public CommandCatalog register(String fullName, CommandHandler handler) {
        if (!infoByName.containsKey(fullName)) {
            throw new IllegalArgumentException("no Redis metadata for command " + fullName);
        }
        if (handlers.put(fullName, handler) != null) {
            throw new IllegalArgumentException("command registered twice: " + fullName);
        }
        return this;
    }

    /** Adds dispatch flags of Cachalot's own (e.g. {@link CommandFlags#PROTECTED}) to a command. */
    public CommandCatalog addFlags(String fullName, long flags) {
        extraFlags.merge(fullName, flags, (a, b) -> a | b);
        return this;
    }

    /** Sets the key finder of a command whose key flags depend on its arguments. */
    public CommandCatalog getKeysProc(String fullName, GetKeysProc proc) {
        keyProcs.put(fullName, proc);
        return this;
    }

    public CommandTable build() {
        for (String name : extraFlags.keySet()) {
            if (!handlers.containsKey(name)) {
                throw new IllegalStateException("flags declared for " + name + ", which has no handler");
            }
        }
        Map<String, List<String>> subsByParent = new LinkedHashMap<>();
        List<String> tops = new ArrayList<>();
        for (String name : handlers.keySet()) {
            int bar = name.indexOf('|');
            if (bar < 0) {
                tops.add(name);
            } else {
                String parent = name.substring(0, bar);
                if (!subsByParent.containsKey(parent) && !tops.contains(parent)) {
                    tops.add(parent);
                }
                subsByParent.computeIfAbsent(parent, k -> new ArrayList<>()).add(name);
            }
        }
        CommandTable table = new CommandTable();
        for (String top : tops) {
            List<String> subs = subsByParent.get(top);
            MetaNode info = infoByName.get(top);
            MetaNode docs = docsByName.get(top);
            if (subs != null) {
                // Keep the reference server's order of subcommands, only those implemented.
                MetaNode allSubs = info.child(9);
                List<MetaNode> kept = new ArrayList<>();
                for (int i = 0; i < allSubs.size(); i++) {
                    if (subs.contains(allSubs.child(i).child(0).text())) {
                        kept.add(allSubs.child(i));
                    }
                }
                for (String s : subs) {
                    MetaNode si = infoByName.get(s);
                    if (!kept.contains(si)) {
                        kept.add(si);
                    }
                }
                info = info.withChild(9, MetaNode.array(kept));
                if (docs != null && docs.get("subcommands") != null) {
                    MetaNode allDocs = docs.get("subcommands");
                    List<MetaNode> keptDocs = new ArrayList<>();
                    for (int i = 0; i < allDocs.size(); i += 2) {
                        if (subs.contains(allDocs.child(i).text())) {
                            keptDocs.add(allDocs.child(i));
                            keptDocs.add(allDocs.child(i + 1));
                        }
                    }
                    docs = docs.with("subcommands", MetaNode.map(keptDocs));
                }
            }
            CommandSpec spec = spec(top, info, docs, handlers.get(top), null);
            if (subs != null) {
                CommandTable subTable = new CommandTable();
                for (String s : subs) {
                    MetaNode subDocs = docs == null || docs.get("subcommands") == null ? null
                            : docs.get("subcommands").get(s);
                    subTable.add(spec(s, infoByName.get(s), subDocs, handlers.get(s), spec));
                }
                spec.setSubcommands(subTable);
            }
            table.add(spec);
        }
        return table;
    }

    private CommandSpec spec(String fullName, MetaNode info, MetaNode docs, CommandHandler handler,
                             CommandSpec parent) {
        int arity = (int) info.child(1).integer();
        long flags = 0;
        MetaNode f = info.child(2);
        for (int i = 0; i < f.size(); i++) {
            flags |= CommandFlags.byName(f.child(i).text());
        }
        flags |= extraFlags.getOrDefault(fullName, 0L);
        MetaNode acl = info.child(6);
        String[] categories = new String[acl.size()];
        for (int i = 0; i < acl.size(); i++) {
            categories[i] = acl.child(i).text();
        }
        MetaNode ks = info.child(8);
        KeySpec[] keySpecs = new KeySpec[ks.size()];
        for (int i = 0; i < ks.size(); i++) {
            keySpecs[i] = KeySpec.parse(ks.child(i));
        }
        CommandSpec spec = new CommandSpec(fullName, arity, flags, (int) info.child(3).integer(),
                (int) info.child(4).integer(), (int) info.child(5).integer(), keySpecs, categories, parent, handler,
                info, docs);
        spec.getKeysProc = keyProcs.get(fullName);
        return spec;
    }
}
