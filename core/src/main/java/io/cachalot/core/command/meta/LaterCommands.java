package io.cachalot.core.command.meta;

import java.util.ArrayList;
import java.util.List;

import static io.cachalot.core.command.meta.MetaNode.array;
import static io.cachalot.core.command.meta.MetaNode.bulk;
import static io.cachalot.core.command.meta.MetaNode.integer;
import static io.cachalot.core.command.meta.MetaNode.map;
import static io.cachalot.core.command.meta.MetaNode.set;
import static io.cachalot.core.command.meta.MetaNode.statusSet;

/**
 * Metadata of commands that Redis added after the reference 7.0.15 and that Cachalot implements,
 * written from Redis' documentation (7.2: CLIENT NO-TOUCH, CLIENT SETINFO; 7.4: hash field expiry).
 */
public final class LaterCommands {
    private LaterCommands() {
    }

    /**
     * The metadata being built (the command catalog, which knows this package and not the
     * reverse): the reference server's entries to amend, and where new ones go.
     */
    public interface Definitions {
        MetaNode info(String fullName);

        MetaNode docs(String name);

        void define(String fullName, MetaNode info, MetaNode docs);
    }

    public static void define(Definitions c) {
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
        hashFieldExpiry(c);
        for (String zrank : new String[] {"zrank", "zrevrank"}) {
            // 7.2: ZRANK key member [WITHSCORE]
            MetaNode docs = c.docs(zrank);
            List<MetaNode> args = children(docs.get("arguments"));
            args.add(map(bulk("name"), bulk("withscore"), bulk("type"), bulk("pure-token"), bulk("token"),
                    bulk("WITHSCORE"), bulk("flags"), statusSet("optional")));
            c.define(zrank, c.info(zrank).withChild(1, integer(-3)), withHistory(docs.with("arguments", array(args)),
                    "7.2.0", "Added the optional `WITHSCORE` argument."));
        }
        // 7.4: HSCAN ... NOVALUES
        MetaNode hscan = c.docs("hscan");
        List<MetaNode> args = children(hscan.get("arguments"));
        args.add(map(bulk("name"), bulk("novalues"), bulk("type"), bulk("pure-token"), bulk("token"),
                bulk("NOVALUES"), bulk("since"), bulk("7.4.0"), bulk("flags"), statusSet("optional")));
        c.define("hscan", c.info("hscan"), withHistory(hscan.with("arguments", array(args)),
                "7.4.0", "Added the `NOVALUES` option."));
    }

    /** Docs with a history entry, placed before the arguments as Redis orders the map. */
    private static MetaNode withHistory(MetaNode docs, String version, String change) {
        List<MetaNode> kv = new ArrayList<>();
        MetaNode existing = docs.get("history");
        List<MetaNode> entries = existing == null ? new ArrayList<>() : children(existing);
        entries.add(array(bulk(version), bulk(change)));
        for (int i = 0; i < docs.size(); i += 2) {
            String k = docs.child(i).text();
            if (k.equals("history")) {
                continue;
            }
            if (k.equals("arguments")) {
                kv.add(bulk("history"));
                kv.add(array(entries));
            }
            kv.add(docs.child(i));
            kv.add(docs.child(i + 1));
        }
        return map(kv);
    }

    private static List<MetaNode> children(MetaNode n) {
        List<MetaNode> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(n.child(i));
        }
        return out;
    }

    private static void hashFieldExpiry(Definitions c) {
        String[][] setters = {
            {"hexpire", "seconds", "integer", "Set expiry for hash field using relative time to expire (seconds)",
                "O(N) where N is the number of specified fields"},
            {"hpexpire", "milliseconds", "integer",
                "Set expiry for hash field using relative time to expire (milliseconds)",
                "O(N) where N is the number of specified fields"},
            {"hexpireat", "unix-time-seconds", "unix-time",
                "Set expiry for hash field using an absolute Unix timestamp (seconds)",
                "O(N) where N is the number of specified fields"},
            {"hpexpireat", "unix-time-milliseconds", "unix-time",
                "Set expiry for hash field using an absolute Unix timestamp (milliseconds)",
                "O(N) where N is the number of specified fields"},
        };
        for (String[] d : setters) {
            c.define(d[0], info(d[0], -6, statusSet("write", "denyoom", "fast"),
                            statusSet("@write", "@hash", "@fast"), set(), hashKeySpec(false)),
                    docs(d[3], "7.4.0", "hash", d[4], array(keyArg(),
                            map(bulk("name"), bulk(d[1]), bulk("type"), bulk(d[2])),
                            map(bulk("name"), bulk("condition"), bulk("type"), bulk("oneof"),
                                    bulk("flags"), statusSet("optional"), bulk("arguments"),
                                    array(token("nx", "NX"), token("xx", "XX"), token("gt", "GT"),
                                            token("lt", "LT"))),
                            fieldsBlock())));
        }
        String[][] getters = {
            {"httl", "Returns the TTL in seconds of a hash field."},
            {"hpttl", "Returns the TTL in milliseconds of a hash field."},
            {"hexpiretime", "Returns the expiration time of a hash field as a Unix timestamp, in seconds."},
            {"hpexpiretime", "Returns the expiration time of a hash field as a Unix timestamp, in msec."},
        };
        for (String[] d : getters) {
            c.define(d[0], info(d[0], -5, statusSet("readonly", "fast"), statusSet("@read", "@hash", "@fast"),
                            set(), hashKeySpec(true)),
                    docs(d[1], "7.4.0", "hash", "O(N) where N is the number of specified fields",
                            array(keyArg(), fieldsBlock())));
        }
        c.define("hpersist", info("hpersist", -5, statusSet("write", "fast"), statusSet("@write", "@hash", "@fast"),
                        set(), hashKeySpec(false)),
                docs("Removes the expiration time for each specified field", "7.4.0", "hash",
                        "O(N) where N is the number of specified fields", array(keyArg(), fieldsBlock())));
    }

    private static MetaNode keyArg() {
        return map(bulk("name"), bulk("key"), bulk("type"), bulk("key"), bulk("key_spec_index"), integer(0));
    }

    private static MetaNode fieldsBlock() {
        return map(bulk("name"), bulk("fields"), bulk("type"), bulk("block"), bulk("token"), bulk("FIELDS"),
                bulk("arguments"), array(
                        map(bulk("name"), bulk("numfields"), bulk("type"), bulk("integer")),
                        map(bulk("name"), bulk("field"), bulk("type"), bulk("string"),
                                bulk("flags"), statusSet("multiple"))));
    }

    /** The single key spec of a command whose key is argument 1. */
    private static MetaNode hashKeySpec(boolean readOnly) {
        return map(bulk("flags"), readOnly ? statusSet("RO", "access") : statusSet("RW", "update"),
                bulk("begin_search"), map(bulk("type"), bulk("index"), bulk("spec"), map(bulk("index"), integer(1))),
                bulk("find_keys"), map(bulk("type"), bulk("range"), bulk("spec"),
                        map(bulk("lastkey"), integer(0), bulk("keystep"), integer(1), bulk("limit"), integer(0))));
    }

    private static MetaNode info(String name, int arity, MetaNode flags, MetaNode acl, MetaNode tips,
                                 MetaNode keySpec) {
        return array(bulk(name), integer(arity), flags, integer(1), integer(1), integer(1), acl, tips,
                set(keySpec), set());
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
