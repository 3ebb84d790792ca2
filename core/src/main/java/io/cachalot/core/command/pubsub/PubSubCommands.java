package io.cachalot.core.command.pubsub;

import io.cachalot.core.client.Session;
import io.cachalot.core.command.CommandCatalog;
import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandFamily;
import io.cachalot.core.command.CommandFlags;
import io.cachalot.core.command.Help;
import io.cachalot.core.command.Reply;
import io.cachalot.core.pubsub.PubSub;

import java.util.List;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH
 * and PUBSUB, as Redis 7.0 answers them: one confirmation per name (an array in RESP2, a push in
 * RESP3) with the client's subscription count after it.
 */
public final class PubSubCommands implements CommandFamily {
    /** The family, for the engine's ServiceLoader. */
    public PubSubCommands() {
    }

    @Override
    public void register(CommandCatalog c) {
        c.register("subscribe", ctx -> subscribe(ctx, PubSub.Kind.CHANNEL, "subscribe"));
        c.register("psubscribe", ctx -> subscribe(ctx, PubSub.Kind.PATTERN, "psubscribe"));
        c.register("ssubscribe", ctx -> subscribe(ctx, PubSub.Kind.SHARD, "ssubscribe"));
        c.register("unsubscribe", ctx -> unsubscribe(ctx, PubSub.Kind.CHANNEL, "unsubscribe"));
        c.register("punsubscribe", ctx -> unsubscribe(ctx, PubSub.Kind.PATTERN, "punsubscribe"));
        c.register("sunsubscribe", ctx -> unsubscribe(ctx, PubSub.Kind.SHARD, "sunsubscribe"));
        c.register("publish", ctx -> publish(ctx, false));
        c.register("spublish", ctx -> publish(ctx, true));
        c.register("pubsub|channels", ctx -> channels(ctx, false));
        c.register("pubsub|shardchannels", ctx -> channels(ctx, true));
        c.register("pubsub|numsub", ctx -> numsub(ctx, false));
        c.register("pubsub|shardnumsub", ctx -> numsub(ctx, true));
        c.register("pubsub|numpat", ctx -> ctx.reply.integer(ctx.engine().pubsub().patternCount()));
        c.register("pubsub|help", ctx -> Help.reply(ctx, "pubsub",
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)"));
        for (String name : new String[] {"subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe",
                                         "sunsubscribe"}) {
            c.addFlags(name, CommandFlags.KEYLESS | CommandFlags.PUBSUB_CONTEXT);
        }
        c.addFlags("publish", CommandFlags.KEYLESS);
        c.addFlags("spublish", CommandFlags.KEYLESS);
    }

    private static void publish(CommandContext ctx, boolean shard) {
        Reply r = ctx.reply;
        int n = ctx.engine().pubsub().publish(ctx.argv[1], ctx.argv[2], shard, ctx.session(), ctx.selfDelivery());
        r.integer(n);
    }

    private static void subscribe(CommandContext ctx, PubSub.Kind kind, String word) {
        PubSub ps = ctx.engine().pubsub();
        Session s = ctx.session();
        Reply r = ctx.reply;
        if (!ps.canReceive(s)) {
            // an EmbeddedClient has no connection to write messages to: it would count as a
            // subscriber and receive nothing
            r.error("ERR in-process clients subscribe with EmbeddedClient.subscribe(MessageListener)");
            return;
        }
        for (int i = 1; i < ctx.argc; i++) {
            confirm(r, word, ctx.argv[i], ps.subscribe(s, kind, ctx.argv[i]));
        }
    }

    /** One confirmation: the command's word, the name (null: none), the client's count after it. */
    private static void confirm(Reply r, String word, byte[] name, int count) {
        r.push(3);
        r.bulk(word);
        if (name == null) {
            r.nullBulk();
        } else {
            r.bulk(name);
        }
        r.integer(count);
    }

    private static void unsubscribe(CommandContext ctx, PubSub.Kind kind, String word) {
        PubSub ps = ctx.engine().pubsub();
        Session s = ctx.session();
        Reply r = ctx.reply;
        if (ctx.argc == 1) {
            List<byte[]> all = ps.names(s, kind);
            if (all.isEmpty()) {
                PubSub.Subscriptions subs = ps.of(s);
                confirm(r, word, null, kind == PubSub.Kind.SHARD ? subs.shardCount() : subs.count());
                return;
            }
            for (byte[] name : all) {
                confirm(r, word, name, ps.unsubscribe(s, kind, name));
            }
            return;
        }
        for (int i = 1; i < ctx.argc; i++) {
            confirm(r, word, ctx.argv[i], ps.unsubscribe(s, kind, ctx.argv[i]));
        }
    }

    private static void channels(CommandContext ctx, boolean shard) {
        if (ctx.argc > 3) {
            throw new io.cachalot.core.command.CommandError(
                    io.cachalot.core.command.Errors.subcommandSyntax(ctx.argv[0], ctx.argv[1]));
        }
        List<byte[]> names = ctx.engine().pubsub().activeChannels(ctx.argc == 3 ? ctx.argv[2] : null, shard);
        ctx.reply.array(names.size());
        for (byte[] n : names) {
            ctx.reply.bulk(n);
        }
    }

    private static void numsub(CommandContext ctx, boolean shard) {
        PubSub ps = ctx.engine().pubsub();
        ctx.reply.array((ctx.argc - 2) * 2);
        for (int i = 2; i < ctx.argc; i++) {
            ctx.reply.bulk(ctx.argv[i]);
            ctx.reply.integer(ps.subscribers(ctx.argv[i], shard));
        }
    }
}
