package io.cachalot.core.pubsub;

import io.cachalot.core.config.KeyspaceEventsParam;

import java.nio.charset.StandardCharsets;

/**
 * The keyspace events Redis publishes, each with its class (a notify-keyspace-events flag) and
 * its name exactly as Redis spells it. A command names its events with these constants.
 */
public enum KeyEvent {
    // generic
    DEL(KeyspaceEventsParam.GENERIC, "del"),
    EXPIRE(KeyspaceEventsParam.GENERIC, "expire"),
    PERSIST(KeyspaceEventsParam.GENERIC, "persist"),
    RENAME_FROM(KeyspaceEventsParam.GENERIC, "rename_from"),
    RENAME_TO(KeyspaceEventsParam.GENERIC, "rename_to"),
    MOVE_FROM(KeyspaceEventsParam.GENERIC, "move_from"),
    MOVE_TO(KeyspaceEventsParam.GENERIC, "move_to"),
    COPY_TO(KeyspaceEventsParam.GENERIC, "copy_to"),
    RESTORE(KeyspaceEventsParam.GENERIC, "restore"),
    // by the engine
    EXPIRED(KeyspaceEventsParam.EXPIRED, "expired"),
    EVICTED(KeyspaceEventsParam.EVICTED, "evicted"),
    NEW(KeyspaceEventsParam.NEW, "new"),
    KEYMISS(KeyspaceEventsParam.KEY_MISS, "keymiss"),
    // strings
    SET(KeyspaceEventsParam.STRING, "set"),
    SETRANGE(KeyspaceEventsParam.STRING, "setrange"),
    INCRBY(KeyspaceEventsParam.STRING, "incrby"),
    INCRBYFLOAT(KeyspaceEventsParam.STRING, "incrbyfloat"),
    APPEND(KeyspaceEventsParam.STRING, "append"),
    SETBIT(KeyspaceEventsParam.STRING, "setbit"),
    PFADD(KeyspaceEventsParam.STRING, "pfadd"),
    // lists
    LPUSH(KeyspaceEventsParam.LIST, "lpush"),
    RPUSH(KeyspaceEventsParam.LIST, "rpush"),
    LPOP(KeyspaceEventsParam.LIST, "lpop"),
    RPOP(KeyspaceEventsParam.LIST, "rpop"),
    LINSERT(KeyspaceEventsParam.LIST, "linsert"),
    LSET(KeyspaceEventsParam.LIST, "lset"),
    LTRIM(KeyspaceEventsParam.LIST, "ltrim"),
    LREM(KeyspaceEventsParam.LIST, "lrem"),
    SORTSTORE(KeyspaceEventsParam.LIST, "sortstore"),
    // hashes
    HSET(KeyspaceEventsParam.HASH, "hset"),
    HINCRBY(KeyspaceEventsParam.HASH, "hincrby"),
    HINCRBYFLOAT(KeyspaceEventsParam.HASH, "hincrbyfloat"),
    HDEL(KeyspaceEventsParam.HASH, "hdel"),
    HEXPIRE(KeyspaceEventsParam.HASH, "hexpire"),
    HPERSIST(KeyspaceEventsParam.HASH, "hpersist"),
    HEXPIRED(KeyspaceEventsParam.HASH, "hexpired"),
    // sets
    SADD(KeyspaceEventsParam.SET, "sadd"),
    SREM(KeyspaceEventsParam.SET, "srem"),
    SPOP(KeyspaceEventsParam.SET, "spop"),
    SINTERSTORE(KeyspaceEventsParam.SET, "sinterstore"),
    SUNIONSTORE(KeyspaceEventsParam.SET, "sunionstore"),
    SDIFFSTORE(KeyspaceEventsParam.SET, "sdiffstore"),
    // sorted sets
    ZADD(KeyspaceEventsParam.ZSET, "zadd"),
    ZINCR(KeyspaceEventsParam.ZSET, "zincr"),
    ZREM(KeyspaceEventsParam.ZSET, "zrem"),
    ZREMRANGEBYSCORE(KeyspaceEventsParam.ZSET, "zremrangebyscore"),
    ZREMRANGEBYRANK(KeyspaceEventsParam.ZSET, "zremrangebyrank"),
    ZREMRANGEBYLEX(KeyspaceEventsParam.ZSET, "zremrangebylex"),
    ZPOPMIN(KeyspaceEventsParam.ZSET, "zpopmin"),
    ZPOPMAX(KeyspaceEventsParam.ZSET, "zpopmax"),
    ZUNIONSTORE(KeyspaceEventsParam.ZSET, "zunionstore"),
    ZINTERSTORE(KeyspaceEventsParam.ZSET, "zinterstore"),
    ZDIFFSTORE(KeyspaceEventsParam.ZSET, "zdiffstore"),
    ZRANGESTORE(KeyspaceEventsParam.ZSET, "zrangestore"),
    GEOSEARCHSTORE(KeyspaceEventsParam.ZSET, "geosearchstore"),
    GEORADIUSSTORE(KeyspaceEventsParam.ZSET, "georadiusstore"),
    // streams
    XADD(KeyspaceEventsParam.STREAM, "xadd"),
    XTRIM(KeyspaceEventsParam.STREAM, "xtrim"),
    XDEL(KeyspaceEventsParam.STREAM, "xdel"),
    XSETID(KeyspaceEventsParam.STREAM, "xsetid"),
    XGROUP_CREATE(KeyspaceEventsParam.STREAM, "xgroup-create"),
    XGROUP_SETID(KeyspaceEventsParam.STREAM, "xgroup-setid"),
    XGROUP_DESTROY(KeyspaceEventsParam.STREAM, "xgroup-destroy"),
    XGROUP_CREATECONSUMER(KeyspaceEventsParam.STREAM, "xgroup-createconsumer"),
    XGROUP_DELCONSUMER(KeyspaceEventsParam.STREAM, "xgroup-delconsumer");

    /** The class flag that enables this event. */
    final int type;
    /** The name, as the message of a __keyspace@ channel and the tail of a __keyevent@ one. */
    final byte[] name;

    KeyEvent(int type, String name) {
        this.type = type;
        this.name = name.getBytes(StandardCharsets.US_ASCII);
    }

    /** The class flag (notify-keyspace-events bit) that enables this event. */
    public int type() {
        return type;
    }

    public String eventName() {
        return new String(name, StandardCharsets.US_ASCII);
    }
}
