package io.cachalot.core.script;

import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Help;
import io.cachalot.core.command.Reply;
import io.cachalot.core.persist.rdb.DumpPayload;
import io.cachalot.core.persist.rdb.RdbFormatException;
import io.cachalot.core.util.Glob;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** FUNCTION and FCALL: the command family of one engine's function libraries (see {@link ScriptEngine}). */
public final class FunctionCommands implements CommandFamily {
    private final ScriptEngine scripts;

    public FunctionCommands(ScriptEngine scripts) {
        this.scripts = scripts;
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("fcall", ctx -> scripts.fcall(ctx, false));
        c.register("fcall_ro", ctx -> scripts.fcall(ctx, true));
        c.register("function|load", this::load);
        c.register("function|delete", ctx -> {
            scripts.functionDelete(new String(ctx.argv[2], StandardCharsets.ISO_8859_1));
            ctx.dirty(1);
            ctx.reply.ok();
        });
        c.register("function|flush", this::flush);
        c.register("function|list", this::list);
        c.register("function|dump", ctx -> ctx.reply.bulk(DumpPayload.createFunctions(scripts.libraryCodes(),
                ctx.settings().rdbCompression.value())));
        c.register("function|restore", this::restore);
        c.register("function|stats", ctx -> scripts.functionStats(ctx.reply));
        c.register("function|kill", ctx -> scripts.kill(false, ctx.reply));
        c.register("function|help", ctx -> Help.reply(ctx, "function",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
                        + "RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library)."));
    }

    private void load(CommandContext ctx) {
        boolean replace = false;
        int pos = 2;
        while (pos < ctx.argc - 1) {
            if (ctx.argIs(pos, "replace")) {
                replace = true;
                pos++;
                continue;
            }
            throw new CommandError("ERR Unknown option given: " + new String(ctx.argv[pos], StandardCharsets.ISO_8859_1));
        }
        if (pos >= ctx.argc) {
            throw new CommandError("ERR Function code is missing");
        }
        String name = scripts.functionLoad(ctx.argv[pos], replace);
        ctx.dirty(1);
        ctx.reply.bulk(name);
    }

    private void flush(CommandContext ctx) {
        if (ctx.argc > 3) {
            throw new CommandError(Errors.subcommandSyntax(ctx.argv[0], ctx.argv[1]));
        }
        if (ctx.argc == 3 && !ctx.argIs(2, "sync") && !ctx.argIs(2, "async")) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        scripts.functionFlush();
        ctx.dirty(1);
        ctx.reply.ok();
    }

    private void list(CommandContext ctx) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < ctx.argc; i++) {
            if (!withCode && ctx.argIs(i, "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && ctx.argIs(i, "libraryname")) {
                if (i >= ctx.argc - 1) {
                    throw new CommandError("ERR library name argument was not given");
                }
                pattern = ctx.argv[++i];
                continue;
            }
            throw new CommandError("ERR Unknown argument " + new String(ctx.argv[i], StandardCharsets.ISO_8859_1));
        }
        List<FunctionLibrary> libs = scripts.libraries();
        if (pattern != null) {
            byte[] p = pattern;
            libs.removeIf(l -> !Glob.matches(p, l.name.getBytes(StandardCharsets.ISO_8859_1), true));
        }
        Reply r = ctx.reply;
        r.array(libs.size());
        for (FunctionLibrary lib : libs) {
            r.map(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name);
            r.bulk("engine");
            r.bulk("LUA");
            r.bulk("functions");
            r.array(lib.functions.size());
            for (FunctionLibrary.Function f : lib.functions.values()) {
                r.map(3);
                r.bulk("name");
                r.bulk(f.name);
                r.bulk("description");
                if (f.description == null) {
                    r.nullBulk();
                } else {
                    r.bulk(f.description);
                }
                r.bulk("flags");
                r.set(Integer.bitCount(f.flags & ((1 << ScriptFlags.NAMES.length) - 1)));
                for (int i = 0; i < ScriptFlags.NAMES.length; i++) {
                    if ((f.flags & (1 << i)) != 0) {
                        r.status(ScriptFlags.NAMES[i]);
                    }
                }
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code);
            }
        }
    }

    private void restore(CommandContext ctx) {
        if (ctx.argc > 4) {
            throw new CommandError(Errors.subcommandSyntax(ctx.argv[0], ctx.argv[1]));
        }
        String policy = "append";
        if (ctx.argc == 4) {
            if (ctx.argIs(3, "append") || ctx.argIs(3, "replace") || ctx.argIs(3, "flush")) {
                policy = new String(ctx.argv[3], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            } else {
                throw new CommandError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        }
        List<byte[]> codes;
        try {
            codes = DumpPayload.readFunctions(ctx.argv[2]);
        } catch (DumpPayload.BadFooterException e) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        } catch (RdbFormatException e) {
            throw new CommandError("ERR " + (e.getMessage() == null || e.getMessage().isEmpty()
                    ? "failed loading the given functions payload" : e.getMessage()));
        }
        scripts.functionRestore(codes, policy);
        ctx.dirty(1);
        ctx.reply.ok();
    }
}
