package io.cachalot.core.command.connection;

import io.cachalot.core.client.Session;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.Reply;
import io.cachalot.core.tracking.Tracking;
import io.cachalot.core.util.Numbers;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO: client-side caching's commands, with
 * Redis 7.0's option checks and error texts (networking.c's clientCommand).
 */
final class ClientTrackingCommands {
    private ClientTrackingCommands() {
    }

    static void register(CommandCatalog c) {
        c.register("client|tracking", ClientTrackingCommands::tracking);
        c.register("client|caching", ClientTrackingCommands::caching);
        c.register("client|getredir", ctx -> {
            Session s = ctx.session();
            ctx.reply.integer((s.trackingFlags() & Session.TRACKING_ON) != 0 ? s.trackingRedirect() : -1);
        });
        c.register("client|trackinginfo", ClientTrackingCommands::trackingInfo);
    }

    private static void tracking(CommandContext ctx) {
        Session s = ctx.session();
        long redirect = 0;
        int options = 0;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < ctx.argc; j++) {
            boolean more = j < ctx.argc - 1;
            if (ctx.argIs(j, "redirect") && more) {
                j++;
                if (redirect != 0) {
                    throw new CommandError("ERR A client can only redirect to a single other client");
                }
                if (!Numbers.isLong(ctx.argv[j])) {
                    throw Errors.E_NOT_INTEGER;
                }
                redirect = Numbers.parseLong(ctx.argv[j]);
                // the client must exist now, though it may go away later
                if (ctx.engine().clients().get(redirect) == null) {
                    throw new CommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (ctx.argIs(j, "bcast")) {
                options |= Session.TRACKING_BCAST;
            } else if (ctx.argIs(j, "optin")) {
                options |= Session.TRACKING_OPTIN;
            } else if (ctx.argIs(j, "optout")) {
                options |= Session.TRACKING_OPTOUT;
            } else if (ctx.argIs(j, "noloop")) {
                options |= Session.TRACKING_NOLOOP;
            } else if (ctx.argIs(j, "prefix") && more) {
                prefixes.add(ctx.argv[++j]);
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        Tracking tracking = ctx.engine().tracking();
        if (ctx.argIs(2, "on")) {
            if (s.connection() == null) {
                // invalidations are written to a connection: an in-process client has none
                throw new CommandError("ERR client-side caching needs a connection: in-process clients cannot "
                        + "enable tracking");
            }
            int flags = s.trackingFlags();
            if ((options & Session.TRACKING_BCAST) == 0 && !prefixes.isEmpty()) {
                throw new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
            }
            if ((flags & Session.TRACKING_ON) != 0
                    && ((flags & Session.TRACKING_BCAST) != 0) != ((options & Session.TRACKING_BCAST) != 0)) {
                throw new CommandError("ERR You can't switch BCAST mode on/off before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if ((options & Session.TRACKING_BCAST) != 0
                    && (options & (Session.TRACKING_OPTIN | Session.TRACKING_OPTOUT)) != 0) {
                throw new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
            }
            if ((options & Session.TRACKING_OPTIN) != 0 && (options & Session.TRACKING_OPTOUT) != 0) {
                throw new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
            }
            if ((options & Session.TRACKING_OPTIN) != 0 && (flags & Session.TRACKING_OPTOUT) != 0
                    || (options & Session.TRACKING_OPTOUT) != 0 && (flags & Session.TRACKING_OPTIN) != 0) {
                throw new CommandError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if ((options & Session.TRACKING_BCAST) != 0) {
                String collision = tracking.prefixCollision(s, prefixes);
                if (collision != null) {
                    throw new CommandError(collision);
                }
            }
            tracking.enable(s, redirect, options, prefixes);
        } else if (ctx.argIs(2, "off")) {
            tracking.disable(s);
        } else {
            throw Errors.E_SYNTAX;
        }
        ctx.reply.ok();
    }

    private static void caching(CommandContext ctx) {
        Session s = ctx.session();
        int flags = s.trackingFlags();
        if ((flags & Session.TRACKING_ON) == 0) {
            throw new CommandError("ERR CLIENT CACHING can be called only when the client is in tracking mode with "
                    + "OPTIN or OPTOUT mode enabled");
        }
        if (ctx.argIs(2, "yes")) {
            if ((flags & Session.TRACKING_OPTIN) == 0) {
                throw new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (ctx.argIs(2, "no")) {
            if ((flags & Session.TRACKING_OPTOUT) == 0) {
                throw new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw Errors.E_SYNTAX;
        }
        s.setTrackingFlags(flags | Session.TRACKING_CACHING);
        ctx.reply.ok();
    }

    private static void trackingInfo(CommandContext ctx) {
        Session s = ctx.session();
        int f = s.trackingFlags();
        boolean on = (f & Session.TRACKING_ON) != 0;
        List<String> flags = new ArrayList<>(4);
        flags.add(on ? "on" : "off");
        if ((f & Session.TRACKING_BCAST) != 0) {
            flags.add("bcast");
        }
        if ((f & Session.TRACKING_OPTIN) != 0) {
            flags.add("optin");
            if ((f & Session.TRACKING_CACHING) != 0) {
                flags.add("caching-yes");
            }
        }
        if ((f & Session.TRACKING_OPTOUT) != 0) {
            flags.add("optout");
            if ((f & Session.TRACKING_CACHING) != 0) {
                flags.add("caching-no");
            }
        }
        if ((f & Session.TRACKING_NOLOOP) != 0) {
            flags.add("noloop");
        }
        if ((f & Session.TRACKING_BROKEN_REDIR) != 0) {
            flags.add("broken_redirect");
        }
        Reply r = ctx.reply;
        r.map(3);
        r.bulk("flags");
        r.set(flags.size());
        for (String fl : flags) {
            r.bulk(fl);
        }
        r.bulk("redirect");
        r.integer(on ? s.trackingRedirect() : -1);
        r.bulk("prefixes");
        List<byte[]> prefixes = ctx.engine().tracking().prefixesOf(s);
        r.array(prefixes.size());
        for (byte[] p : prefixes) {
            r.bulk(p);
        }
    }
}
