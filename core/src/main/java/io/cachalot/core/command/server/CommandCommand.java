package io.cachalot.core.command.server;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.MetaReply;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFlags;
import io.cachalot.core.command.CommandSpec;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Help;
import io.cachalot.core.command.KeySpec;
import io.cachalot.core.command.Reply;
import io.cachalot.core.command.meta.MetaNode;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Glob;

import java.util.ArrayList;
import java.util.List;

/** COMMAND and its subcommands, answered from the command table's Redis metadata. */
final class CommandCommand {
    private CommandCommand() {
    }

    static void register(CommandCatalog c) {
        c.register("command", CommandCommand::all);
        c.register("command|count", ctx -> ctx.reply.integer(ctx.engine().commands().size()));
        c.register("command|info", CommandCommand::info);
        c.register("command|docs", CommandCommand::docs);
        c.register("command|list", CommandCommand::list);
        c.register("command|getkeys", ctx -> getkeys(ctx, false));
        c.register("command|getkeysandflags", ctx -> getkeys(ctx, true));
        c.register("command|help", ctx -> Help.reply(ctx, "command",
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command."));
    }

    static void all(CommandContext ctx) {
        List<CommandSpec> specs = ctx.engine().commands().all();
        ctx.reply.array(specs.size());
        for (CommandSpec s : specs) {
            MetaReply.write(s.info(), ctx.reply);
        }
    }

    static void info(CommandContext ctx) {
        if (ctx.argc == 2) {
            all(ctx);
            return;
        }
        Reply r = ctx.reply;
        r.array(ctx.argc - 2);
        for (int i = 2; i < ctx.argc; i++) {
            CommandSpec s = ServerCommands.lookupByFullName(ctx.engine(), ctx.argv[i]);
            if (s == null) {
                r.nullBulk();
            } else {
                MetaReply.write(s.info(), r);
            }
        }
    }

    static void docs(CommandContext ctx) {
        List<CommandSpec> specs = new ArrayList<>();
        if (ctx.argc == 2) {
            specs.addAll(ctx.engine().commands().all());
        } else {
            for (int i = 2; i < ctx.argc; i++) {
                CommandSpec s = ServerCommands.lookupByFullName(ctx.engine(), ctx.argv[i]);
                if (s != null && s.docs() != null) {
                    specs.add(s);
                }
            }
        }
        Reply r = ctx.reply;
        r.map(specs.size());
        for (CommandSpec s : specs) {
            r.bulk(Bytes.ascii(s.fullName()));
            MetaReply.write(s.docs(), r);
        }
    }

    static void list(CommandContext ctx) {
        List<String> names = new ArrayList<>();
        if (ctx.argc == 2) {
            for (CommandSpec top : ctx.engine().commands().all()) {
                for (CommandSpec s : top.withSubcommands()) {
                    names.add(s.fullName());
                }
            }
        } else if (ctx.argc == 5 && ctx.argIs(2, "filterby")) {
            byte[] value = ctx.argv[4];
            if (ctx.argIs(3, "module")) {
                // no modules: nothing matches
            } else if (ctx.argIs(3, "aclcat")) {
                String cat = "@" + Bytes.lowerAscii(value);
                for (CommandSpec top : ctx.engine().commands().all()) {
                    for (CommandSpec s : top.withSubcommands()) {
                        for (String c : s.aclCategories()) {
                            if (c.equals(cat)) {
                                names.add(s.fullName());
                                break;
                            }
                        }
                    }
                }
            } else if (ctx.argIs(3, "pattern")) {
                Glob g = new Glob(value, true);
                for (CommandSpec top : ctx.engine().commands().all()) {
                    for (CommandSpec s : top.withSubcommands()) {
                        if (g.matches(Bytes.ascii(s.fullName()))) {
                            names.add(s.fullName());
                        }
                    }
                }
            } else {
                throw Errors.E_SYNTAX;
            }
        } else {
            throw Errors.E_SYNTAX;
        }
        ctx.reply.array(names.size());
        for (String n : names) {
            ctx.reply.bulk(Bytes.ascii(n));
        }
    }

    static void getkeys(CommandContext ctx, boolean withFlags) {
        int argc = ctx.argc - 2;
        byte[][] argv = new byte[argc][];
        System.arraycopy(ctx.argv, 2, argv, 0, argc);
        CommandSpec s = ctx.engine().dispatcher().lookup(argv, argc);
        if (s == null) {
            throw new CommandError("ERR Invalid command specified");
        }
        if (!s.hasKeys()) {
            throw new CommandError("ERR The command has no key arguments");
        }
        if (!s.arityAccepts(argc)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        KeySpec.IntList pos = new KeySpec.IntList();
        if (!s.keyPositions(argv, argc, pos) || pos.size() == 0) {
            if (s.has(CommandFlags.NO_MANDATORY_KEYS)) {
                ctx.reply.array(0);
                return;
            }
            throw new CommandError("ERR Invalid arguments specified for command");
        }
        Reply r = ctx.reply;
        r.array(pos.size());
        for (int i = 0; i < pos.size(); i++) {
            if (withFlags) {
                r.array(2);
                r.bulk(argv[pos.get(i)]);
                MetaNode flags = s.keyFlagsAt(argv, argc, pos.get(i));
                MetaReply.write(flags, r);
            } else {
                r.bulk(argv[pos.get(i)]);
            }
        }
    }
}
