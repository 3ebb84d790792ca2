package io.cachalot.core.command.keys;

import io.cachalot.core.command.CommandContext;
import io.cachalot.core.command.CommandError;
import io.cachalot.core.command.Errors;
import io.cachalot.core.command.KeyLocks;
import io.cachalot.core.command.Lookup;
import io.cachalot.core.keyspace.Database;
import io.cachalot.core.keyspace.Entry;
import io.cachalot.core.keyspace.Segment;
import io.cachalot.core.persist.rdb.DumpPayload;
import io.cachalot.core.persist.rdb.RdbValues;
import io.cachalot.core.propagate.CommandBuffer;
import io.cachalot.core.propagate.Propagated;
import io.cachalot.core.util.Bytes;
import io.cachalot.core.util.Numbers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username
 * password] [KEYS key ...], as Redis 7.0: the keys' DUMP payloads are sent as RESTORE commands to
 * the target and, unless COPY, deleted here once the target acknowledged them. The keys stay
 * locked for the whole exchange, so no other client sees them half moved. A connection is opened
 * per call (Redis caches them for a few seconds; the target sees one more SELECT, nothing else).
 */
final class Migrate {
    private static final byte[] AUTH = Bytes.ascii("AUTH");
    private static final byte[] RESTORE = Bytes.ascii("RESTORE");
    private static final byte[] REPLACE = Bytes.ascii("REPLACE");

    private static final CommandError KEYS_NEEDS_EMPTY_KEY = new CommandError(
            "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");

    private Migrate() {
    }

    /**
     * MIGRATE's keys (Redis' migrateGetKeys): argument 3, or with KEYS the arguments after it (none
     * when argument 3 is not empty then: MIGRATE itself reports that error). Read, written, deleted.
     */
    static boolean keys(byte[][] argv, int argc, io.cachalot.core.command.KeySpec.IntList positions,
                        java.util.List<io.cachalot.core.command.meta.MetaNode> flags) {
        int first = 3;
        int num = 1;
        for (int i = 6; i < argc; i++) {
            if (Bytes.equalsIgnoreCase(argv[i], "keys")) {
                if (argv[3].length > 0) {
                    num = 0;
                } else {
                    first = i + 1;
                    num = argc - first;
                }
                break;
            }
            if (Bytes.equalsIgnoreCase(argv[i], "auth")) {
                i += 1;
            } else if (Bytes.equalsIgnoreCase(argv[i], "auth2")) {
                i += 2;
            }
        }
        for (int i = 0; i < num; i++) {
            positions.add(first + i);
            flags.add(io.cachalot.core.command.meta.MetaNode.statusSet("RW", "access", "delete"));
        }
        return true;
    }

    static void migrate(CommandContext ctx) {
        boolean copy = false;
        boolean replace = false;
        byte[] username = null;
        byte[] password = null;
        int firstKey = 3;
        int numKeys = 1;
        for (int j = 6; j < ctx.argc; j++) {
            int more = ctx.argc - 1 - j;
            if (ctx.argIs(j, "copy")) {
                copy = true;
            } else if (ctx.argIs(j, "replace")) {
                replace = true;
            } else if (ctx.argIs(j, "auth")) {
                if (more < 1) {
                    throw Errors.E_SYNTAX;
                }
                password = ctx.argv[++j];
                ctx.redact(j);
            } else if (ctx.argIs(j, "auth2")) {
                if (more < 2) {
                    throw Errors.E_SYNTAX;
                }
                username = ctx.argv[++j];
                ctx.redact(j);
                password = ctx.argv[++j];
                ctx.redact(j);
            } else if (ctx.argIs(j, "keys")) {
                if (ctx.argv[3].length != 0) {
                    throw KEYS_NEEDS_EMPTY_KEY;
                }
                firstKey = j + 1;
                numKeys = ctx.argc - j - 1;
                break;
            } else {
                throw Errors.E_SYNTAX;
            }
        }
        long timeout = ctx.longArg(5);
        long dbid = ctx.longArg(4);
        if (timeout <= 0) {
            timeout = 1000;
        }
        byte[][] keys = KeyLocks.args(ctx, firstKey, firstKey + numKeys);
        int[] hashes = KeyLocks.lock(ctx, keys); // held until the command ends, the exchange included
        Database db = ctx.db();
        Entry[] found = new Entry[keys.length];
        int present = 0;
        for (int i = 0; i < keys.length; i++) {
            found[i] = Lookup.read(ctx, db.segment(hashes[i]), keys[i], hashes[i]);
            if (found[i] != null) {
                present++;
            }
        }
        if (present == 0) {
            ctx.reply.status("NOKEY");
            return;
        }
        CommandBuffer cmd = new CommandBuffer(256);
        if (password != null) {
            if (username != null) {
                cmd.command(AUTH, username, password);
            } else {
                cmd.command(AUTH, password);
            }
        }
        cmd.command(Propagated.SELECT, Numbers.toBytes(dbid));
        int sent = 0;
        boolean[] moved = new boolean[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Entry e = found[i];
            if (e == null) {
                continue;
            }
            long ttl = 0;
            if (e.hasExpiry()) {
                ttl = e.expireAt() - ctx.now;
                if (ttl < 0) {
                    continue;
                }
                if (ttl < 1) {
                    ttl = 1;
                }
            }
            if (!RdbValues.hasRdbForm(e.type())) {
                throw DumpRestore.NO_FORM;
            }
            byte[] payload = DumpPayload.create(e.type(), e.value(), ctx.settings());
            if (replace) {
                cmd.command(RESTORE, keys[i], Numbers.toBytes(ttl), payload, REPLACE);
            } else {
                cmd.command(RESTORE, keys[i], Numbers.toBytes(ttl), payload);
            }
            moved[i] = true;
            sent++;
        }
        String error = null;
        boolean writing = true;
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(new String(ctx.argv[1], StandardCharsets.UTF_8),
                        Integer.parseInt(new String(ctx.argv[2], StandardCharsets.US_ASCII))), (int) timeout);
            } catch (java.net.ConnectException e) {
                // refused at once: Redis' non-blocking connect only finds out when it writes
                throw new CommandError("IOERR error or timeout writing to target instance");
            } catch (IOException | IllegalArgumentException e) {
                throw new CommandError("IOERR error or timeout connecting to the client");
            }
            s.setSoTimeout((int) timeout);
            OutputStream out = s.getOutputStream();
            out.write(cmd.array(), 0, cmd.length());
            out.flush();
            writing = false;
            InputStream in = new java.io.BufferedInputStream(s.getInputStream()); // replies are read a byte at a time
            String authReply = password != null ? line(in) : null;
            String selectReply = line(in);
            for (int i = 0; i < keys.length; i++) {
                if (!moved[i]) {
                    continue;
                }
                String reply = line(in);
                String failed = authReply != null && authReply.startsWith("-") ? authReply
                        : selectReply.startsWith("-") ? selectReply : reply.startsWith("-") ? reply : null;
                if (failed != null) {
                    if (error == null) {
                        error = "ERR Target instance replied with error: " + failed.substring(1);
                    }
                } else if (!copy) {
                    Segment seg = db.segment(hashes[i]);
                    Entry e = seg.find(keys[i], hashes[i]);
                    if (e != null) {
                        io.cachalot.core.command.Keys.delete(ctx, seg, e);
                        // logged as the deletion it is here
                        if (ctx.propagating()) {
                            ctx.propagate(Propagated.DEL, keys[i]);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new CommandError("IOERR error or timeout " + (writing ? "writing" : "reading") + " to target instance");
        }
        if (error != null) {
            throw new CommandError(error);
        }
        ctx.reply.ok();
    }

    /** One reply line (a status or an error: what RESTORE, SELECT and AUTH answer). */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("bad reply");
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
    }
}
