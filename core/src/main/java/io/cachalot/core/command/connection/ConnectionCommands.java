package io.cachalot.core.command.connection;

import io.cachalot.core.command.CommandFlags;
import io.cachalot.core.Engine;
import io.cachalot.core.command.EngineServices;
import io.cachalot.core.client.ClientConnection;
import io.cachalot.core.client.Session;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Reply;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

import java.security.MessageDigest;

/** Connection commands: PING, ECHO, SELECT, AUTH, HELLO, QUIT, RESET. CLIENT is in {@link ClientCommands}. */
public final class ConnectionCommands implements CommandFamily {
    private static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    /** The family, for the engine's ServiceLoader. */
    public ConnectionCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.addFlags("ping", CommandFlags.KEYLESS | CommandFlags.PROBES_WRITABLE | CommandFlags.PUBSUB_CONTEXT);
        c.addFlags("echo", CommandFlags.KEYLESS);
        c.addFlags("select", CommandFlags.SELECTS_DB);
        c.addFlags("quit", CommandFlags.TXN_CONTROL | CommandFlags.TXN_EXIT | CommandFlags.PUBSUB_CONTEXT);
        c.addFlags("reset", CommandFlags.TXN_CONTROL | CommandFlags.TXN_EXIT | CommandFlags.PUBSUB_CONTEXT);
        c.register("ping", ConnectionCommands::ping);
        c.register("echo", ctx -> ctx.reply.bulk(ctx.argv[1]));
        c.register("select", ConnectionCommands::select);
        c.register("auth", ConnectionCommands::auth);
        c.register("hello", ConnectionCommands::hello);
        c.register("quit", ConnectionCommands::quit);
        c.register("reset", ConnectionCommands::reset);
        ClientCommands.register(c);
    }

    static void ping(CommandContext ctx) {
        if (ctx.argc > 2) {
            throw new CommandError(Errors.wrongArgs("ping"));
        }
        var subs = ctx.engine().pubsub().of(ctx.session());
        if (ctx.session().protocol() == 2 && subs.count() + subs.shardCount() > 0) {
            // a subscribed RESP2 client gets its PONG in the shape of a message
            ctx.reply.array(2);
            ctx.reply.bulk("pong");
            ctx.reply.bulk(ctx.argc == 1 ? new byte[0] : ctx.argv[1]);
            return;
        }
        if (ctx.argc == 1) {
            ctx.reply.status("PONG");
        } else {
            ctx.reply.bulk(ctx.argv[1]);
        }
    }

    static void select(CommandContext ctx) {
        int id = ctx.intArg(1);
        if (id < 0 || id >= ctx.keyspace().databaseCount()) {
            throw Errors.E_DB_INDEX;
        }
        ctx.session().setDb(id);
        ctx.reply.ok();
    }

    /** Checks credentials of the default user (the only user until ACLs exist). */
    static boolean credentialsValid(EngineServices engine, byte[] username, byte[] password) {
        if (!Bytes.equals(username, Bytes.ascii("default"))) {
            return false;
        }
        String required = engine.settings().requirepass.value();
        if (required.isEmpty()) {
            return true; // the default user has "nopass"
        }
        // Constant-time comparison, as Redis' time_independent_strcmp.
        return MessageDigest.isEqual(Bytes.utf8(required), password);
    }

    static void auth(CommandContext ctx) {
        if (ctx.argc > 3) {
            throw Errors.E_SYNTAX;
        }
        ctx.redact(1);
        byte[] user;
        byte[] pass;
        if (ctx.argc == 2) {
            if (ctx.engine().settings().requirepass.value().isEmpty()) {
                throw new CommandError("ERR AUTH <password> called without any password configured for the "
                        + "default user. Are you sure your configuration is correct?");
            }
            user = Bytes.ascii("default");
            pass = ctx.argv[1];
        } else {
            ctx.redact(2);
            user = ctx.argv[1];
            pass = ctx.argv[2];
        }
        if (!credentialsValid(ctx.engine(), user, pass)) {
            throw new CommandError(WRONGPASS);
        }
        ctx.session().setAuthenticated(true);
        ctx.reply.ok();
    }

    static void hello(CommandContext ctx) {
        long ver = 0;
        int next = 1;
        Session s = ctx.session();
        if (ctx.argc >= 2) {
            byte[] v = ctx.argv[next++];
            if (!Numbers.isLong(v)) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            ver = Numbers.parseLong(v);
            if (ver < 2 || ver > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
        }
        byte[] user = null;
        byte[] pass = null;
        byte[] name = null;
        for (int j = next; j < ctx.argc; j++) {
            int more = ctx.argc - 1 - j;
            if (ctx.argIs(j, "auth") && more >= 2) {
                ctx.redact(j + 1);
                ctx.redact(j + 2);
                user = ctx.argv[j + 1];
                pass = ctx.argv[j + 2];
                j += 2;
            } else if (ctx.argIs(j, "setname") && more >= 1) {
                name = ctx.argv[j + 1];
                ClientCommands.validateName(name);
                j++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + Bytes.cString(ctx.argv[j]) + "'");
            }
        }
        if (user != null) {
            if (!credentialsValid(ctx.engine(), user, pass)) {
                throw new CommandError(WRONGPASS);
            }
            s.setAuthenticated(true);
        }
        if (!s.authenticated()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time");
        }
        if (name != null) {
            s.setName(name.length == 0 ? null : name);
        }
        if (ver != 0) {
            s.setProtocol((int) ver);
        }
        Reply r = ctx.reply;
        r.switchProtocol(s.protocol());
        r.map(7);
        r.bulk(Bytes.ascii("server"));
        r.bulk(Bytes.ascii("redis"));
        r.bulk(Bytes.ascii("version"));
        r.bulk(Bytes.ascii(Engine.REDIS_VERSION));
        r.bulk(Bytes.ascii("proto"));
        r.integer(s.protocol());
        r.bulk(Bytes.ascii("id"));
        r.integer(s.id());
        r.bulk(Bytes.ascii("mode"));
        r.bulk(Bytes.ascii("standalone"));
        r.bulk(Bytes.ascii("role"));
        r.bulk(Bytes.ascii("master"));
        r.bulk(Bytes.ascii("modules"));
        r.array(0);
    }

    static void quit(CommandContext ctx) {
        ctx.reply.ok();
        ClientConnection c = ctx.session().connection();
        if (c != null) {
            c.closeAfterReply();
        }
    }

    static void reset(CommandContext ctx) {
        Session s = ctx.session();
        ctx.transaction().end();
        ctx.transaction().unwatchAll(ctx.keyspace());
        s.setDb(0);
        s.setProtocol(2);
        ctx.reply.switchProtocol(2);
        s.setName(null);
        s.setReplyMode(Session.REPLY_ON);
        s.setNoEvict(false);
        s.setNoTouch(false);
        if (s.isMonitor()) {
            s.setMonitor(false);
            ctx.engine().monitors().remove(s);
        }
        ctx.engine().pubsub().forget(s);
        ctx.engine().tracking().disable(s);
        s.setAuthenticated(ctx.engine().settings().requirepass.value().isEmpty());
        ctx.reply.status("RESET");
    }
}
