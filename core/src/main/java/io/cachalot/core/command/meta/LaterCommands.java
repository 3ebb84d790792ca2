package io.cachalot.core.command.meta;

import io.cachalot.core.command.CommandCatalog;

import static io.cachalot.core.command.meta.MetaNode.array;
import static io.cachalot.core.command.meta.MetaNode.bulk;
import static io.cachalot.core.command.meta.MetaNode.integer;
import static io.cachalot.core.command.meta.MetaNode.map;
import static io.cachalot.core.command.meta.MetaNode.set;
import static io.cachalot.core.command.meta.MetaNode.statusSet;

/**
 * Metadata of commands that Redis added after the reference 7.0.15 and that Cachalot implements,
 * written from Redis' documentation (7.2: CLIENT NO-TOUCH, CLIENT SETINFO).
 */
public final class LaterCommands {
    private LaterCommands() {
    }

    public static void define(CommandCatalog c) {
        c.define("client|no-touch",
                info("client|no-touch", 3, statusSet("noscript", "loading", "stale"),
                        statusSet("@slow", "@connection"), set()),
                docs("Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", "7.2.0",
                        "connection", "O(1)",
                        array(map(bulk("name"), bulk("enabled"), bulk("type"), bulk("oneof"), bulk("arguments"),
                                array(token("on", "ON"), token("off", "OFF"))))));
        c.define("client|setinfo",
                info("client|setinfo", 4, statusSet("noscript", "loading", "stale"),
                        statusSet("@slow", "@connection"),
                        set(bulk("request_policy:all_nodes"), bulk("response_policy:all_succeeded"))),
                docs("Sets information specific to the client or connection.", "7.2.0", "connection", "O(1)",
                        array(map(bulk("name"), bulk("attr"), bulk("type"), bulk("oneof"), bulk("arguments"),
                                array(map(bulk("name"), bulk("libname"), bulk("type"), bulk("string"),
                                                bulk("token"), bulk("LIB-NAME")),
                                        map(bulk("name"), bulk("libver"), bulk("type"), bulk("string"),
                                                bulk("token"), bulk("LIB-VER")))))));
    }

    private static MetaNode info(String name, int arity, MetaNode flags, MetaNode acl, MetaNode tips) {
        return array(bulk(name), integer(arity), flags, integer(0), integer(0), integer(0), acl, tips, set(), set());
    }

    private static MetaNode docs(String summary, String since, String group, String complexity, MetaNode args) {
        return map(bulk("summary"), bulk(summary), bulk("since"), bulk(since), bulk("group"), bulk(group),
                bulk("complexity"), bulk(complexity), bulk("arguments"), args);
    }

    private static MetaNode token(String name, String token) {
        return map(bulk("name"), bulk(name), bulk("type"), bulk("pure-token"), bulk("token"), bulk(token));
    }
}
