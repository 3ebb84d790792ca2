package io.cachalot.core.command.connection;

import io.cachalot.core.client.ClientPause;
import io.cachalot.core.command.EngineServices;
import io.cachalot.core.client.ClientConnection;
import io.cachalot.core.client.Session;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.CommandSpec;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Help;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

import java.util.ArrayList;
import java.util.List;

/** CLIENT and its subcommands. */
public final class ClientCommands {
    private ClientCommands() {
    }

    static void register(CommandCatalog c) {
        c.register("client|id", ctx -> ctx.reply.integer(ctx.session().id()));
        c.register("client|setname", ClientCommands::setname);
        c.register("client|getname", ClientCommands::getname);
        c.register("client|list", ClientCommands::list);
        c.register("client|info", ctx -> ctx.reply.verbatim("txt",
                Bytes.utf8(describe(ctx.engine(), ctx.session(), ctx.now) + "\n")));
        c.register("client|kill", ClientCommands::kill);
        c.register("client|pause", ClientCommands::pause);
        c.register("client|unpause", ctx -> {
            ctx.engine().pause().unpause();
            ctx.reply.ok();
        });
        c.register("client|reply", ClientCommands::reply);
        c.register("client|no-evict", ctx -> ctx.session().setNoEvict(onOff(ctx, 2)));
        c.register("client|no-touch", ctx -> ctx.session().setNoTouch(onOff(ctx, 2)));
        c.register("client|setinfo", ClientCommands::setinfo);
        c.register("client|unblock", ClientCommands::unblock);
        ClientTrackingCommands.register(c);
        c.register("client|help", ctx -> Help.reply(ctx, "client",
                "CACHING (YES|NO)",
                "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR",
                "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "    * ID <client-id>",
                "      Kill connections by client id.",
                "    * MAXAGE <maxage>",
                "      Kill connections older than the specified age.",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                "    Unblock the specified blocked client.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "SETINFO <option> <value>",
                "    Set client meta attr. Options are:",
                "    * LIB-NAME: the client lib name.",
                "    * LIB-VER: the client lib version.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO",
                "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction.",
                "NO-TOUCH (ON|OFF)",
                "    Will not touch LRU/LFU stats when this mode is on."));
    }

    /** CLIENT NO-EVICT / NO-TOUCH argument; replies OK. */
    private static boolean onOff(CommandContext ctx, int i) {
        boolean on;
        if (ctx.argIs(i, "on")) {
            on = true;
        } else if (ctx.argIs(i, "off")) {
            on = false;
        } else {
            throw Errors.E_SYNTAX;
        }
        ctx.reply.ok();
        return on;
    }

    /** Client names and attributes: printable ASCII without spaces ('!' to '~'). */
    static boolean validAttribute(byte[] v) {
        for (byte b : v) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    static void validateName(byte[] name) {
        if (!validAttribute(name)) {
            throw new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");
        }
    }

    static void setname(CommandContext ctx) {
        byte[] name = ctx.argv[2];
        validateName(name);
        ctx.session().setName(name.length == 0 ? null : name);
        ctx.reply.ok();
    }

    static void getname(CommandContext ctx) {
        byte[] n = ctx.session().name();
        if (n == null) {
            ctx.reply.nullBulk();
        } else {
            ctx.reply.bulk(n);
        }
    }

    static void setinfo(CommandContext ctx) {
        String attr = Bytes.cString(ctx.argv[2]);
        byte[] value = ctx.argv[3];
        boolean name;
        if (ctx.argIs(2, "lib-name")) {
            name = true;
        } else if (ctx.argIs(2, "lib-ver")) {
            name = false;
        } else {
            throw new CommandError("ERR Unrecognized option '" + attr + "'");
        }
        if (!validAttribute(value)) {
            throw new CommandError("ERR " + attr + " cannot contain spaces, newlines or special characters.");
        }
        if (name) {
            ctx.session().setLibName(Bytes.latin1(value));
        } else {
            ctx.session().setLibVersion(Bytes.latin1(value));
        }
        ctx.reply.ok();
    }

    /** Client types of CLIENT LIST/KILL TYPE; -1 for an unknown name. */
    private static int clientType(byte[] name) {
        if (Bytes.equalsIgnoreCase(name, "normal")) {
            return 0;
        }
        if (Bytes.equalsIgnoreCase(name, "slave") || Bytes.equalsIgnoreCase(name, "replica")) {
            return 1;
        }
        if (Bytes.equalsIgnoreCase(name, "pubsub")) {
            return 2;
        }
        if (Bytes.equalsIgnoreCase(name, "master")) {
            return 3;
        }
        return -1;
    }

    /** The type of a session: every client is "normal" until pub/sub and replication exist. */
    private static int typeOf(Session s) {
        return 0;
    }

    static void list(CommandContext ctx) {
        EngineServices engine = ctx.engine();
        StringBuilder sb = new StringBuilder();
        if (ctx.argc == 4 && ctx.argIs(2, "type")) {
            int type = clientType(ctx.argv[3]);
            if (type == -1) {
                throw new CommandError("ERR Unknown client type '" + Bytes.cString(ctx.argv[3]) + "'");
            }
            for (Session s : engine.clients().list()) {
                if (typeOf(s) == type) {
                    sb.append(describe(engine, s, ctx.now)).append('\n');
                }
            }
        } else if (ctx.argc > 3 && ctx.argIs(2, "id")) {
            List<Long> ids = new ArrayList<>();
            for (int j = 3; j < ctx.argc; j++) {
                if (!Numbers.isLong(ctx.argv[j])) {
                    throw new CommandError("ERR Invalid client ID");
                }
                ids.add(Numbers.parseLong(ctx.argv[j]));
            }
            for (long id : ids) {
                Session s = engine.clients().get(id);
                if (s != null) {
                    sb.append(describe(engine, s, ctx.now)).append('\n');
                }
            }
        } else if (ctx.argc != 2) {
            throw Errors.E_SYNTAX;
        } else {
            for (Session s : engine.clients().list()) {
                sb.append(describe(engine, s, ctx.now)).append('\n');
            }
        }
        ctx.reply.verbatim("txt", Bytes.utf8(sb.toString()));
    }

    /** One line of CLIENT LIST, with Redis 7.0's fields (plus 7.2's lib-name and lib-ver). */
    public static String describe(EngineServices engine, Session s, long now) {
        ClientConnection c = s.connection();
        StringBuilder sb = new StringBuilder(256);
        io.cachalot.core.client.TransactionView t = s.transaction();
        io.cachalot.core.pubsub.PubSub.Subscriptions subs = engine.pubsub().of(s);
        String flags = (s.isMonitor() ? "O" : "") + (subs.count() + subs.shardCount() > 0 ? "P" : "")
                + (t.queuedCount() >= 0 ? "x" : "") + (s.blocked() ? "b" : "")
                + trackingFlags(s.trackingFlags())
                + (t.watchedKeyWasChanged() ? "d" : "") + (s.noEvict() ? "e" : "") + (s.noTouch() ? "T" : "");
        String last = s.lastCommand();
        sb.append("id=").append(s.id())
                .append(" addr=").append(c == null ? "" : c.address())
                .append(" laddr=").append(c == null ? "" : c.localAddress())
                .append(" fd=").append(c == null ? -1 : c.fd())
                .append(" name=").append(s.name() == null ? "" : Bytes.latin1(s.name()))
                .append(" age=").append((now - s.createdAt()) / 1000)
                .append(" idle=").append((now - s.lastInteraction()) / 1000)
                .append(" flags=").append(flags.isEmpty() ? "N" : flags)
                .append(" db=").append(s.db())
                .append(" sub=").append(subs.channelCount()).append(" psub=").append(subs.patternCount())
                .append(" ssub=").append(subs.shardCount()).append(" multi=").append(t.queuedCount())
                .append(" qbuf=").append(c == null ? 0 : c.queryBufferLength())
                .append(" qbuf-free=").append(c == null ? 0 : c.queryBufferFree())
                .append(" argv-mem=").append(c == null ? 0 : c.argvLength())
                .append(" multi-mem=0 rbs=0 rbp=0")
                .append(" obl=").append(c == null ? 0 : c.outputBufferLength())
                .append(" oll=").append(c == null ? 0 : c.outputListLength())
                .append(" omem=").append(c == null ? 0 : c.pendingOutputBytes())
                .append(" tot-mem=").append(c == null ? 0 : c.memoryUsage())
                .append(" events=r")
                .append(" cmd=").append(last == null ? "NULL" : last)
                .append(" user=default redir=")
                .append((s.trackingFlags() & Session.TRACKING_ON) != 0 ? s.trackingRedirect() : -1)
                .append(" resp=").append(s.protocol())
                .append(" lib-name=").append(s.libName())
                .append(" lib-ver=").append(s.libVersion());
        return sb.toString();
    }

    /** CLIENT LIST's tracking flags: t (tracking), R (broken redirection), B (BCAST). */
    private static String trackingFlags(int f) {
        if (f == 0) {
            return "";
        }
        return ((f & Session.TRACKING_ON) != 0 ? "t" : "") + ((f & Session.TRACKING_BROKEN_REDIR) != 0 ? "R" : "")
                + ((f & Session.TRACKING_BCAST) != 0 ? "B" : "");
    }

    static void kill(CommandContext ctx) {
        EngineServices engine = ctx.engine();
        String addr = null;
        String laddr = null;
        int type = -1;
        long id = 0;
        long maxAge = 0;
        boolean skipMe = true;
        boolean oldStyle = ctx.argc == 3;
        if (oldStyle) {
            addr = Bytes.latin1(ctx.argv[2]);
            skipMe = false;
        } else {
            for (int i = 2; i < ctx.argc; i += 2) {
                boolean more = ctx.argc > i + 1;
                if (ctx.argIs(i, "id") && more) {
                    byte[] v = ctx.argv[i + 1];
                    id = Numbers.isLong(v) ? Numbers.parseLong(v) : 0;
                    if (id < 1) {
                        throw new CommandError("ERR client-id should be greater than 0");
                    }
                } else if (ctx.argIs(i, "type") && more) {
                    type = clientType(ctx.argv[i + 1]);
                    if (type == -1) {
                        throw new CommandError("ERR Unknown client type '"
                                + Bytes.cString(ctx.argv[i + 1]) + "'");
                    }
                } else if (ctx.argIs(i, "addr") && more) {
                    addr = Bytes.latin1(ctx.argv[i + 1]);
                } else if (ctx.argIs(i, "laddr") && more) {
                    laddr = Bytes.latin1(ctx.argv[i + 1]);
                } else if (ctx.argIs(i, "user") && more) {
                    if (!ctx.argIs(i + 1, "default")) {
                        throw new CommandError("ERR No such user '" + Bytes.cString(ctx.argv[i + 1]) + "'");
                    }
                } else if (ctx.argIs(i, "skipme") && more) {
                    if (ctx.argIs(i + 1, "yes")) {
                        skipMe = true;
                    } else if (ctx.argIs(i + 1, "no")) {
                        skipMe = false;
                    } else {
                        throw Errors.E_SYNTAX;
                    }
                } else if (ctx.argIs(i, "maxage") && more) {
                    maxAge = ctx.longArg(i + 1);
                } else {
                    throw Errors.E_SYNTAX;
                }
            }
        }
        Session me = ctx.session();
        long killed = 0;
        boolean killMe = false;
        for (Session s : engine.clients().list()) {
            ClientConnection c = s.connection();
            if (s.killed()) {
                continue; // closing already; it leaves the registry once its connection is gone
            }
            if (addr != null && (c == null || !c.address().equals(addr))) {
                continue;
            }
            if (laddr != null && (c == null || !c.localAddress().equals(laddr))) {
                continue;
            }
            if (type != -1 && typeOf(s) != type) {
                continue;
            }
            if (id != 0 && s.id() != id) {
                continue;
            }
            if (maxAge > 0 && (ctx.now - s.createdAt()) / 1000 < maxAge) {
                continue;
            }
            if (s == me && skipMe) {
                continue;
            }
            if (s == me) {
                killMe = true;
            } else {
                s.kill();
            }
            killed++;
        }
        if (oldStyle) {
            if (killed == 0) {
                throw new CommandError("ERR No such client");
            }
            ctx.reply.ok();
        } else {
            ctx.reply.integer(killed);
        }
        if (killMe && me.connection() != null) {
            me.connection().closeAfterReply();
        }
    }

    static void unblock(CommandContext ctx) {
        boolean error = false;
        if (ctx.argc == 4) {
            if (ctx.argIs(3, "timeout")) {
                error = false;
            } else if (ctx.argIs(3, "error")) {
                error = true;
            } else {
                throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        long id = ctx.longArg(2);
        Session target = ctx.engine().clients().get(id);
        ctx.reply.integer(target != null && ctx.engine().blocking().unblock(target, error) ? 1 : 0);
    }

    static void pause(CommandContext ctx) {
        int type = ClientPause.ALL;
        if (ctx.argc == 4) {
            if (ctx.argIs(3, "write")) {
                type = ClientPause.WRITE;
            } else if (ctx.argIs(3, "all")) {
                type = ClientPause.ALL;
            } else {
                throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        } else if (ctx.argc > 4) {
            throw Errors.E_SYNTAX;
        }
        byte[] t = ctx.argv[2];
        if (!Numbers.isLong(t)) {
            throw new CommandError("ERR timeout is not an integer or out of range");
        }
        long ms = Numbers.parseLong(t);
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        long end = ms > 0 ? ctx.now + ms : 0;
        ctx.engine().pause().pause(end, type);
        ctx.reply.ok();
    }

    static void reply(CommandContext ctx) {
        Session s = ctx.session();
        if (ctx.argIs(2, "on")) {
            s.setReplyMode(Session.REPLY_ON);
            ctx.reply.setDiscard(false);
            ctx.reply.ok();
        } else if (ctx.argIs(2, "off")) {
            s.setReplyMode(Session.REPLY_OFF);
        } else if (ctx.argIs(2, "skip")) {
            if (s.replyMode() != Session.REPLY_OFF) {
                s.setReplyMode(Session.REPLY_SKIP_NEXT);
            }
        } else {
            throw Errors.E_SYNTAX;
        }
    }
}
