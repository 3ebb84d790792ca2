package io.cachalot.core.command.server;

import io.cachalot.core.command.EngineServices;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandFlags;
import io.cachalot.core.command.CommandSpec;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Help;
import io.cachalot.core.command.Reply;
import io.cachalot.core.stats.LatencyHistogram;
import io.cachalot.core.stats.LatencyMonitor;
import io.cachalot.core.stats.SlowLog;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Glob;
import io.cachalot.core.util.Numbers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Server commands: CONFIG, TIME, SHUTDOWN, MONITOR, SLOWLOG, LATENCY (INFO, DEBUG and COMMAND have their own classes). */
public final class ServerCommands implements CommandFamily {
    /** The family, for the engine's ServiceLoader. */
    public ServerCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("info", Info::info);
        c.addFlags("time", CommandFlags.KEYLESS);
        c.register("time", ServerCommands::time);
        c.register("shutdown", ServerCommands::shutdown);
        c.register("monitor", ServerCommands::monitor);
        c.register("config|get", ServerCommands::configGet);
        c.register("config|set", ServerCommands::configSet);
        c.register("config|resetstat", ServerCommands::configResetstat);
        c.register("config|rewrite", ServerCommands::configRewrite);
        c.register("config|help", ctx -> Help.reply(ctx, "config",
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file."));
        c.register("slowlog|get", ServerCommands::slowlogGet);
        c.register("slowlog|len", ctx -> ctx.reply.integer(ctx.engine().slowLog().size()));
        c.register("slowlog|reset", ctx -> {
            ctx.engine().slowLog().reset();
            ctx.reply.ok();
        });
        c.register("slowlog|help", ctx -> Help.reply(ctx, "slowlog",
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog."));
        c.register("latency|latest", ServerCommands::latencyLatest);
        c.register("latency|history", ServerCommands::latencyHistory);
        c.register("latency|reset", ServerCommands::latencyReset);
        c.register("latency|graph", ServerCommands::latencyGraph);
        c.register("latency|histogram", ServerCommands::latencyHistogram);
        c.register("latency|help", ctx -> Help.reply(ctx, "latency",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied."));
        c.register("debug", Debug::debug);
        c.addFlags("debug", CommandFlags.PROTECTED);
        CommandCommand.register(c);
    }

    static void time(CommandContext ctx) {
        Instant now = Instant.now();
        ctx.reply.array(2);
        ctx.reply.bulk(Bytes.ascii(Long.toString(now.getEpochSecond())));
        ctx.reply.bulk(Bytes.ascii(Integer.toString(now.getNano() / 1000)));
    }

    static void shutdown(CommandContext ctx) {
        boolean nosave = false;
        boolean save = false;
        boolean abort = false;
        boolean other = false;
        boolean force = false;
        for (int i = 1; i < ctx.argc; i++) {
            if (ctx.argIs(i, "nosave")) {
                nosave = true;
            } else if (ctx.argIs(i, "save")) {
                save = true;
            } else if (ctx.argIs(i, "now")) {
                other = true;
            } else if (ctx.argIs(i, "force")) {
                other = true;
                force = true;
            } else if (ctx.argIs(i, "abort")) {
                abort = true;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        if ((abort && (nosave || save || other)) || (nosave && save)) {
            throw Errors.E_SYNTAX;
        }
        if (abort) {
            throw new CommandError("ERR No shutdown in progress.");
        }
        if (!ctx.engine().persistence().prepareForShutdown(save, nosave, force)) {
            throw new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        if (!ctx.engine().hooks().shutdown()) {
            throw new CommandError("ERR SHUTDOWN is not possible for an embedded engine: close it from the application");
        }
        // The server stops and closes the connection: no reply, as in Redis.
    }

    static void monitor(CommandContext ctx) {
        if (ctx.denyBlocking()) {
            throw new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");
        }
        if (ctx.session().connection() == null) {
            throw new CommandError("ERR MONITOR needs a network connection");
        }
        ctx.engine().addMonitor(ctx.session());
        ctx.reply.ok();
    }

    // ------------------------------------------------------------------ CONFIG

    static void configGet(CommandContext ctx) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < ctx.argc; i++) {
            patterns.add(Bytes.latin1(ctx.argv[i]));
        }
        List<String[]> pairs = ctx.engine().settings().config.get(patterns);
        Reply r = ctx.reply;
        r.map(pairs.size());
        for (String[] p : pairs) {
            r.bulk(Bytes.utf8(p[0]));
            r.bulk(Bytes.utf8(p[1]));
        }
    }

    static void configSet(CommandContext ctx) {
        if ((ctx.argc & 1) != 0) {
            throw Errors.E_SYNTAX;
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < ctx.argc; i += 2) {
            String name = Bytes.latin1(ctx.argv[i]);
            io.cachalot.core.config.ConfigParam p = ctx.engine().settings().config.find(name);
            if (p != null && p.has(io.cachalot.core.config.ConfigParam.SENSITIVE)) {
                ctx.redact(i + 1);
            }
            pairs.add(new String[] {name, new String(ctx.argv[i + 1], java.nio.charset.StandardCharsets.UTF_8)});
        }
        boolean protectedAllowed = protectedConfigsAllowed(ctx);
        String err = ctx.engine().settings().config.set(pairs, protectedAllowed);
        if (err != null) {
            throw new CommandError("ERR " + err);
        }
        ctx.reply.ok();
    }

    private static boolean protectedConfigsAllowed(CommandContext ctx) {
        String v = ctx.engine().settings().enableProtectedConfigs.value();
        return v.equals("yes") || (v.equals("local") && (ctx.session().connection() == null
                || ctx.session().connection().isLocal()));
    }

    static void configResetstat(CommandContext ctx) {
        EngineServices e = ctx.engine();
        e.stats().reset();
        e.keyspace().stats().reset();
        for (CommandSpec s : e.commands().all()) {
            s.resetStats();
        }
        e.stats().peakMemory = 0;
        e.evictor().resetStats();
        ctx.reply.ok();
    }

    static void configRewrite(CommandContext ctx) {
        String err = ctx.engine().hooks().rewriteConfig();
        if (err != null) {
            throw new CommandError("ERR " + err);
        }
        ctx.reply.ok();
    }

    // ------------------------------------------------------------------ SLOWLOG

    static void slowlogGet(CommandContext ctx) {
        long count = 10;
        if (ctx.argc == 3) {
            byte[] b = ctx.argv[2];
            if (!Numbers.isLong(b) || Numbers.parseLong(b) < -1) {
                throw new CommandError("ERR count should be greater than or equal to -1");
            }
            count = Numbers.parseLong(b);
        } else if (ctx.argc > 3) {
            throw new CommandError(Errors.subcommandSyntax(ctx.argv[0], ctx.argv[1]));
        }
        List<SlowLog.Entry> entries = ctx.engine().slowLog().newest(count);
        Reply r = ctx.reply;
        r.array(entries.size());
        for (SlowLog.Entry e : entries) {
            r.array(6);
            r.integer(e.id);
            r.integer(e.timestampSeconds);
            r.integer(e.durationMicros);
            r.array(e.args.length);
            for (byte[] a : e.args) {
                r.bulk(a);
            }
            r.bulk(Bytes.ascii(e.peer));
            r.bulk(e.clientName);
        }
    }

    // ------------------------------------------------------------------ LATENCY

    static void latencyLatest(CommandContext ctx) {
        Map<String, LatencyMonitor.Series> events = ctx.engine().latency().events();
        Reply r = ctx.reply;
        r.array(events.size());
        for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
            long[] last = e.getValue().latest();
            r.array(4);
            r.bulk(Bytes.ascii(e.getKey()));
            r.integer(last[0]);
            r.integer(last[1]);
            r.integer(e.getValue().max);
        }
    }

    static void latencyHistory(CommandContext ctx) {
        LatencyMonitor.Series s = ctx.engine().latency().get(Bytes.latin1(ctx.argv[2]));
        Reply r = ctx.reply;
        if (s == null) {
            r.array(0);
            return;
        }
        List<long[]> samples = s.samples();
        r.array(samples.size());
        for (long[] x : samples) {
            r.array(2);
            r.integer(x[0]);
            r.integer(x[1]);
        }
    }

    static void latencyReset(CommandContext ctx) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < ctx.argc; i++) {
            names.add(Bytes.latin1(ctx.argv[i]));
        }
        ctx.reply.integer(ctx.engine().latency().reset(names));
    }

    static void latencyGraph(CommandContext ctx) {
        String event = Bytes.latin1(ctx.argv[2]);
        LatencyMonitor.Series s = ctx.engine().latency().get(event);
        if (s == null) {
            throw new CommandError("ERR No samples available for event '" + event + "'");
        }
        ctx.reply.verbatim("txt", Bytes.utf8(LatencyGraph.render(event, s)));
    }

    static void latencyHistogram(CommandContext ctx) {
        List<CommandSpec> specs = new ArrayList<>();
        if (ctx.argc == 2) {
            for (CommandSpec s : ctx.engine().commands().all()) {
                for (CommandSpec x : s.withSubcommands()) {
                    if (x.calls.sum() > 0) {
                        specs.add(x);
                    }
                }
            }
        } else {
            for (int i = 2; i < ctx.argc; i++) {
                CommandSpec s = lookupByFullName(ctx.engine(), ctx.argv[i]);
                if (s == null) {
                    continue;
                }
                for (CommandSpec x : s.withSubcommands()) {
                    if (x.calls.sum() > 0 && !specs.contains(x)) {
                        specs.add(x);
                    }
                }
            }
        }
        Reply r = ctx.reply;
        r.map(specs.size());
        for (CommandSpec s : specs) {
            LatencyHistogram h = s.histogram;
            r.bulk(Bytes.ascii(s.fullName()));
            r.map(2);
            r.bulk(Bytes.ascii("calls"));
            r.integer(s.calls.sum());
            r.bulk(Bytes.ascii("histogram_usec"));
            long[][] buckets = h.cumulativeMicrosPowersOfTwo();
            r.map(buckets.length);
            for (long[] b : buckets) {
                r.integer(b[0]);
                r.integer(b[1]);
            }
        }
    }

    /** "get" or "config|get" to its spec, ignoring case; null when unknown. */
    static CommandSpec lookupByFullName(EngineServices engine, byte[] name) {
        String n = Bytes.lowerAscii(name);
        int bar = n.indexOf('|');
        if (bar < 0) {
            return engine.commands().find(name);
        }
        CommandSpec parent = engine.commands().find(n.substring(0, bar));
        if (parent == null || !parent.isContainer()) {
            return null;
        }
        return parent.subcommands().find(n.substring(bar + 1));
    }

    }
