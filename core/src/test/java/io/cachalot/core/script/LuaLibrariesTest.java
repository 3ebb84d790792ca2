package io.cachalot.core.script;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The libraries Redis loads into Lua (cjson, cmsgpack, struct, bit) compared with a real
 * redis-server: the same scripts through EVAL on both, replies (values and error messages) compared
 * byte for byte. Skipped when redis-server is not installed, except with CI=true, where it fails.
 * The randomized checks print their seed; set -Dlualibs.seed=N to replay one, -Dlualibs.verbose=true
 * to print every reply.
 *
 * <p>Tables here have no string key of 32 bytes or more: Redis' Lua hashes every byte of a string,
 * luajava's stock Lua 5.1 only a sample of a longer one, so such tables iterate (pairs, and the
 * encoders' objects and maps) in another order — a difference of the Lua core, not of the libraries.
 */
class LuaLibrariesTest {
    private static Process server;
    private static Path dir;
    private static Socket socket;
    private static InputStream in;
    private static OutputStream out;
    private static Engine engine;
    private static EmbeddedClient client;

    @BeforeAll
    static void start() throws Exception {
        String bin = findRedisServer();
        if (bin == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("redis-server is required in CI (CI=true) but was not found");
            }
            Assumptions.assumeTrue(false, "redis-server not installed: reference comparison skipped");
        }
        dir = Files.createTempDirectory("lualibs-ref");
        for (int attempt = 0; attempt < 5 && socket == null; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            server = new ProcessBuilder(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && server.isAlive()) {
                try {
                    Socket s = new Socket("127.0.0.1", port);
                    s.setSoTimeout(120_000);
                    socket = s;
                    break;
                } catch (IOException e) {
                    Thread.sleep(20);
                }
            }
            if (socket == null) {
                server.destroyForcibly();
            }
        }
        assertThat(socket).as("redis-server started").isNotNull();
        Process started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly)); // should the JVM die first
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
        Object info = send(b("INFO"), b("server"));
        String text = info instanceof byte[] ? new String((byte[]) info, StandardCharsets.ISO_8859_1) : "";
        int v = text.indexOf("redis_version:");
        System.out.println("reference: " + bin + " " + (v < 0 ? "?" : text.substring(v, text.indexOf('\r', v))));
        engine = new Engine();
        client = new EmbeddedClient(engine);
    }

    @AfterAll
    static void stop() throws Exception {
        if (socket != null) {
            socket.close();
        }
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (engine != null) {
            engine.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String findRedisServer() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && new File(env).canExecute()) {
            return env;
        }
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/usr/sbin"));
        for (String d : dirs) {
            File f = new File(d, "redis-server");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ the two sides

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A reply error, as a value. */
    private static final class Err {
        final String message;

        Err(String message) {
            this.message = message;
        }
    }

    private static Object send(byte[]... args) throws IOException {
        ByteArrayOutputStream cmd = new ByteArrayOutputStream();
        cmd.write(b("*" + args.length + "\r\n"));
        for (byte[] a : args) {
            cmd.write(b("$" + a.length + "\r\n"));
            cmd.write(a);
            cmd.write(b("\r\n"));
        }
        out.write(cmd.toByteArray());
        out.flush();
        return read();
    }

    private static String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    private static Object read() throws IOException {
        int type = in.read();
        String l = line();
        switch (type) {
            case '+':
                return l;
            case '-':
                return new Err(l);
            case ':':
                return Long.parseLong(l);
            case '$': {
                int len = Integer.parseInt(l);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len);
                in.readNBytes(2);
                return data;
            }
            case '*': {
                int len = Integer.parseInt(l);
                if (len < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(len);
                for (int i = 0; i < len; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply type " + (char) type);
        }
    }

    private static Object reference(byte[] script) throws IOException {
        return send(b("EVAL"), script, b("0"));
    }

    private static Object embedded(byte[] script) {
        try {
            return client.call(b("EVAL"), script, b("0"));
        } catch (EmbeddedClient.CommandException e) {
            return new Err(e.getMessage());
        }
    }

    private static String render(Object o) {
        StringBuilder sb = new StringBuilder();
        render(o, sb);
        return sb.toString();
    }

    private static void render(Object o, StringBuilder sb) {
        if (o == null) {
            sb.append("nil");
        } else if (o instanceof Err) {
            sb.append("(error) ").append(((Err) o).message);
        } else if (o instanceof String) {
            sb.append("+").append(o);
        } else if (o instanceof Long) {
            sb.append(':').append(o);
        } else if (o instanceof byte[]) {
            byte[] d = (byte[]) o;
            sb.append('"');
            for (byte x : d) {
                int c = x & 0xff;
                if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                    sb.append((char) c);
                } else {
                    sb.append(String.format("\\x%02x", c));
                }
            }
            sb.append('"');
        } else if (o instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object e : (List<?>) o) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                render(e, sb);
            }
            sb.append(']');
        } else {
            sb.append("?").append(o.getClass().getSimpleName()).append(':').append(o);
        }
    }

    /** Runs each script on both sides; returns the differences found (and prints them). */
    private static List<String> compare(List<String> scripts) throws IOException {
        List<String> diffs = new ArrayList<>();
        for (String script : scripts) {
            byte[] s = b(script);
            String want = render(reference(s));
            String got = render(embedded(s));
            if (Boolean.getBoolean("lualibs.verbose")) {
                System.out.println("script: " + abbreviate(script) + "\n  both:     " + abbreviate(got));
            }
            if (!want.equals(got)) {
                String d = "script: " + abbreviate(script) + "\n  redis:    " + abbreviate(want) + "\n  cachalot: " + abbreviate(got);
                System.out.println(d);
                diffs.add(d);
            }
        }
        return diffs;
    }

    private static String abbreviate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "... (" + s.length() + " chars)";
    }

    private static void check(List<String> scripts) throws IOException {
        List<String> diffs = compare(scripts);
        System.out.println(scripts.size() + " scripts compared, " + diffs.size() + " different");
        assertThat(diffs).isEmpty();
    }

    // ------------------------------------------------------------------ curated cases

    @Test
    void bit() throws IOException {
        check(List.of(
            "return {bit.tobit(1), bit.tobit(0xffffffff), bit.tobit(2^32+5), bit.tobit(-1), bit.tobit(1.5), bit.tobit(2.5), "
                + "bit.tobit(-2.5), bit.tobit(2^52), bit.tobit(2^53+3), bit.tobit('12'), bit.tobit(' 0x10 '), bit.tobit(2^31)}",
            "return {bit.tobit(0/0), bit.tobit(1/0), bit.tobit(-1/0), bit.tobit(1e300), bit.tobit(-2^63)}",
            "return {bit.bnot(0), bit.bnot(-1), bit.band(0xff, 0x0f, 0x3), bit.bor(1,2,4,8,16,32,64,128), bit.bxor(1,2), "
                + "bit.band(1), bit.bxor(0xffffffff, 1, 2, 3), bit.bor(), nil}",
            "return {bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), bit.rshift(-1, 28), bit.rshift(-1, 0), "
                + "bit.arshift(-256, 4), bit.arshift(256, 36), bit.rol(0x12345678, 12), bit.ror(0x12345678, 12), "
                + "bit.rol(1, -1), bit.ror(1, 0), bit.rol(1, 0), bit.bswap(0x12345678), bit.bswap(-2)}",
            "return {bit.tohex(65535), bit.tohex(-1), bit.tohex(0x12345678, 4), bit.tohex(0xabc, -3), bit.tohex(1, 0), "
                + "bit.tohex(1, 100), bit.tohex(0xabc, 0x80000000), bit.tohex(-1, -8), bit.tohex(0xabcdef, -100), bit.tohex(255, 2.7)}",
            "return bit.tohex('x')",
            "return bit.band(1, 2, {})",
            "return bit.lshift(1)",
            "return bit.tobit()",
            "return bit.bor(nil)",
            "local f = bit.bxor; return f(1, 'a')",
            "local ok, e = pcall(bit.tobit, {}) return e",
            "return bit:tobit()",
            "return bit.tohex(1, nil)",
            "bit.lshift = function() return 1 end",
            "local t = {} for k, v in pairs(bit) do t[#t+1] = k .. '=' .. type(v) end return t"
        ));
    }

    @Test
    void struct() throws IOException {
        check(List.of(
            "return {struct.pack('>i4', 1), struct.pack('<i4', -2), struct.pack('i', 3), struct.pack('bBhHlLTiI', -1, 255, -2, 65535, -3, 2^40, 7, -4, 5)}",
            "return {struct.pack('>bBhHlLTiI', -1, 255, -2, 65535, -3, 2^40, 7, -4, 5), struct.pack('<b>h<h', 1, 2, 3)}",
            "return {struct.pack('!4 b i', 1, 2), struct.pack('!b d', 1, 2.5), struct.pack('!2 b h b l', 1, 2, 3, 4), "
                + "struct.pack('! b h', 1, 2), struct.pack('!8bTb', 1, 2, 3), struct.pack('!4 b i3 b', 1, 2, 3), struct.pack('b x x b', 1, 2)}",
            "return {struct.size('!8 b d'), struct.size('!bd'), struct.size('bxi'), struct.size('!4 c3 i'), struct.size('i16'), "
                + "struct.size('zAb5'), struct.size(''), struct.size('!1 b d'), struct.size('< > !2 h b'), struct.size('i32i32')}",
            "return {struct.pack('<i3', -2), struct.pack('>I5', 2^33+7), struct.pack('<i16', -1), struct.pack('>i32', -5), struct.pack('i0', 7)}",
            "return {struct.unpack('<i3', '\\254\\255\\255'), struct.unpack('>I5', '\\0\\0\\0\\0\\5'), struct.unpack('<i9', string.rep('\\255', 9)), "
                + "struct.unpack('<i16', string.rep('\\255', 16)), struct.unpack('<i9', '\\0\\0\\0\\0\\0\\0\\0\\128\\0'), "
                + "struct.unpack('>I8', string.rep('\\255', 8)), struct.unpack('>i8', '\\128' .. string.rep('\\0', 7)), struct.unpack('i0', '')}",
            "return {struct.pack('s', 'ab\\0c'), struct.pack('c5', 'hello world'), struct.pack('c0', 'xyz'), struct.pack('s', ''), struct.pack('c', 'q'), struct.pack('c0s', 12, 34)}",
            "return {struct.unpack('s', 'abc\\0def'), struct.unpack('c3c2', 'abcdef'), struct.unpack('c1c0', '3abcd'), struct.unpack('bc0', '\\3abcd'), struct.unpack('ss', 'a\\0b\\0')}",
            "return {struct.unpack('bc0', '\\255abcd')}",
            "return {struct.unpack('c0', 'abc')}",
            "return {struct.unpack('s', 'abc')}",
            "local a, b, c = struct.unpack('<fd', struct.pack('<fd', 0.1, 0.1)) return {tostring(a), tostring(b), c}",
            "local a, b, c = struct.unpack('>fd', struct.pack('>fd', 1/0, -1/0)) return {tostring(a), tostring(b), c, struct.pack('>f', 1e40), struct.pack('<d', -0.0)}",
            "return {struct.pack('>f', 1.5), struct.pack('<f', 3.4028235e38), struct.pack('>d', 1e300), struct.pack('>f', 1e-46)}",
            "return {struct.unpack('b', 'abc', 2), struct.unpack('b', 'abc', 3.9)}",
            "return {struct.unpack('b', 'abc', 4)}",
            "return {struct.unpack('b', 'abc', 0)}",
            "return {struct.unpack('', 'abc', -5)}",
            "return {struct.unpack('b', 'abc', -1)}",
            "return {struct.unpack('', 'abc', 10)}",
            "return struct.pack('z')",
            "return struct.pack('i33', 1)",
            "return struct.pack('i')",
            "return struct.pack('c5', 'ab')",
            "return struct.pack('!3')",
            "return struct.pack('!0')",
            "return struct.size('s')",
            "return struct.size('c0')",
            "return struct.size('\\255')",
            "return struct.pack('i99999999999')",
            "return struct.pack('c2147483647', 'x')",
            "return struct.unpack('b', 'a', 'x')",
            "return struct.pack(nil)",
            "return struct.unpack('b')",
            "return struct.pack('b', 'x')",
            "return struct.pack('s', {})",
            "return struct.pack('b\\0zzz', 1)",
            "return {struct.pack('>L', 2^64), struct.pack('>L', 0/0), struct.pack('>L', 1e30), struct.pack('>l', -1e30), struct.pack('>L', -1), "
                + "struct.pack('>L', 2^63), struct.pack('>l', 2^63), struct.pack('>H', 70000), struct.pack('>b', 200), struct.pack('>B', -3.7), struct.pack('>B', 3.7)}",
            "return struct.pack('c9000i', string.rep('a', 9000))",
            "return struct.pack('bbb', 1, 2)",
            "return #struct.pack('c20000c20000c0', string.rep('a', 20000), string.rep('b', 20000), string.rep('c', 30000))",
            "return {struct.unpack(string.rep('b', 7990), string.rep('a', 7990))}",
            "return {struct.unpack(string.rep('b', 9000), string.rep('a', 9000))}",
            "return {struct.unpack('>hHlL', struct.pack('>hHlL', -300, 65000, -2^40, 2^53))}",
            "local t = {} for k, v in pairs(struct) do t[#t+1] = k .. '=' .. type(v) end return t",
            "struct.pack = nil"
        ));
    }

    @Test
    void cmsgpack() throws IOException {
        List<String> s = new ArrayList<>();
        String hex = "local function hex(s) local h = {} for i = 1, #s do h[i] = string.format('%02x', string.byte(s, i)) end return table.concat(h) end\n";
        // Redis' own tests
        s.add("local encoded = cmsgpack.pack(0.1) local h = '' for i = 1, #encoded do h = h .. string.format('%02x',string.byte(encoded,i)) end return h");
        s.add("local encoded = cmsgpack.pack(-1099511627776) local h = '' for i = 1, #encoded do h = h .. string.format('%02x',string.byte(encoded,i)) end return h");
        s.add("local str_lt_32 = string.rep('x', 30) local str_lt_255 = string.rep('x', 250) local str_lt_65535 = string.rep('x', 65530)\n"
            + "local str_long = string.rep('x', 100000) local array_lt_15 = {1, 2, 3, 4, 5}\n"
            + "local array_lt_65535 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}\n"
            + "local array_big = {} for i=1, 100000 do array_big[i] = i end local map_lt_15 = {a=1, b=2}\n"
            + "local map_big = {} for i=1, 100000 do map_big[tostring(i)] = i end\n"
            + "local some_map = { s1=str_lt_32, s2=str_lt_255, s3=str_lt_65535, s4=str_long, d1=0.1, i1=1, i2=250, i3=65530, i4=100000, i5=2^40,\n"
            + " i6=-1, i7=-120, i8=-32000, i9=-100000, i10=-3147483648, a1=array_lt_15, a2=array_lt_65535, a3=array_big, m1=map_lt_15,\n"
            + " m2=map_big, b1=false, b2=true, n=nil }\n"
            + "local encoded = cmsgpack.pack(some_map) local decoded = cmsgpack.unpack(encoded)\n"
            + "assert(table.concat(some_map) == table.concat(decoded))\n"
            + "local offset, decoded_one = cmsgpack.unpack_one(encoded, 0) assert(table.concat(some_map) == table.concat(decoded_one)) assert(offset == -1)\n"
            + "local encoded_multiple = cmsgpack.pack(str_lt_32, str_lt_255, str_lt_65535, str_long)\n"
            + "local offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, 0) assert(obj == str_lt_32)\n"
            + "offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset) assert(obj == str_lt_255)\n"
            + "offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset) assert(obj == str_lt_65535)\n"
            + "offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset) assert(obj == str_long) assert(offset == -1)\n"
            + "return {#encoded, redis.sha1hex(encoded), decoded.m2['77'], decoded.a3[99999], decoded.i10}");
        s.add("local a = {x=nil,y=5} local b = {x=a} a['x'] = b local encoded = cmsgpack.pack(a) local h = ''\n"
            + "for i = 1, #encoded do h = h .. string.format('%02x',string.byte(encoded,i)) end\n"
            + "local re = cmsgpack.unpack(encoded) assert(re) assert(re.x) assert(re.x.x.y == re.y) assert(re.x.x.x.x.y == re.y)\n"
            + "assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.y == re.y) assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x)\n"
            + "assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x == nil) return {h, re.x.x.x.x.x.x.x.x.y == re.y, re.y == 5}");
        // numbers
        s.add(hex + "local r = {} for i, v in ipairs({0, 1, 127, 128, 255, 256, 65535, 65536, 2^32-1, 2^32, 2^53, 2^63, 2^64, -2^63, -1, -32, -33,"
            + " -128, -129, -32768, -32769, -2^31, -2^31-1, 0.5, 0.1, 1/0, -1/0, 1e300, -0.0, 1e-320, 3.4028235677973366e38, 2^63-1024, -2^63-2048, 1.5, -1.5, 2^24+1})"
            + " do r[i] = hex(cmsgpack.pack(v)) end r[#r+1] = hex(cmsgpack.pack(0/0)) return r");
        s.add(hex + "local r = {} for i, n in ipairs({0, 1, 31, 32, 255, 256, 65535, 65536}) do local p = cmsgpack.pack(string.rep('a', n))"
            + " r[#r+1] = hex(p:sub(1, 6)) r[#r+1] = #p r[#r+1] = (cmsgpack.unpack(p) == string.rep('a', n)) and 1 or 0 end return r");
        s.add(hex + "return {hex(cmsgpack.pack({})), hex(cmsgpack.pack({1,2,3})), hex(cmsgpack.pack({1,nil,3})), hex(cmsgpack.pack({[1]=1,[3]=3})),"
            + " hex(cmsgpack.pack({a=1})), hex(cmsgpack.pack({[1.5]=1})), hex(cmsgpack.pack({[-1]=1})), hex(cmsgpack.pack({[0]=1, 1})),"
            + " hex(cmsgpack.pack({true, false, {}, {{}}})), hex(cmsgpack.pack({[2^31]=1})), hex(cmsgpack.pack({[2]=1})),"
            + " hex(cmsgpack.pack(function() end)), hex(cmsgpack.pack(cjson.null)), hex(cmsgpack.pack(nil)), hex(cmsgpack.pack(1, 'a', {2}))}");
        s.add(hex + "local t = {} for i = 1, 16 do t[i] = i end local u = {} for i = 1, 65536 do u[i] = true end"
            + " local m = {} for i = 1, 16 do m['k' .. i] = i end local p = cmsgpack.pack(u)"
            + " return {hex(cmsgpack.pack(t)), hex(p:sub(1, 8)), #p, #cmsgpack.pack(m), #cmsgpack.unpack(p)}");
        s.add("local t = {} local cur = t for i = 1, 40 do cur.n = {v = i} cur = cur.n end local p = cmsgpack.pack(t) local u = cmsgpack.unpack(p)"
            + " local d = 0 cur = u while type(cur) == 'table' and cur.n do d = d + 1 cur = cur.n end return {#p, d}");
        s.add(hex + "local t = {} t[1] = t return hex(cmsgpack.pack(t))");
        // decoding every format
        s.add("return {cmsgpack.unpack('\\204\\200\\208\\200\\205\\1\\0\\209\\255\\0\\206\\255\\255\\255\\255\\210\\128\\0\\0\\0"
            + "\\207\\255\\255\\255\\255\\255\\255\\255\\255\\211\\128\\0\\0\\0\\0\\0\\0\\1\\192\\195\\194\\127\\224\\255')}");
        s.add("local a, b, c, d = cmsgpack.unpack('\\202\\63\\192\\0\\0\\203\\63\\185\\153\\153\\153\\153\\153\\154\\202\\127\\192\\0\\0\\207\\0\\0\\0\\1\\0\\0\\0\\0')"
            + " return {tostring(a), tostring(b), tostring(c), tostring(d)}");
        s.add("return {cmsgpack.unpack('\\217\\3abc\\218\\0\\2de\\219\\0\\0\\0\\1f\\163ghi\\160')}");
        s.add("local t = cmsgpack.unpack('\\220\\0\\3\\1\\2\\3') local u = cmsgpack.unpack('\\221\\0\\0\\0\\2\\192\\5') local m = cmsgpack.unpack('\\222\\0\\1\\161a\\1')"
            + " local n = cmsgpack.unpack('\\223\\0\\0\\0\\1\\1\\161b') local f = cmsgpack.unpack('\\147\\1\\145\\2\\128') local g = cmsgpack.unpack('\\130\\1\\2\\161x\\144')"
            + " return {#t, t[3], tostring(u[1]), u[2], m.a, n[1], f[1], f[2][1], type(f[3]), g[1], type(g.x)}");
        s.add("return cmsgpack.unpack('\\129\\192\\1')");
        s.add("return cmsgpack.unpack('\\129\\202\\127\\192\\0\\0\\1')");
        s.add("return cmsgpack.unpack('\\145\\129\\192\\1')");
        s.add("return {cmsgpack.unpack('\\220\\0\\5\\1')}");
        s.add("return {cmsgpack.unpack('\\193')}");
        s.add("return {cmsgpack.unpack('\\196\\1a')}");
        s.add("return {cmsgpack.unpack('\\1\\2\\217')}");
        s.add("return {cmsgpack.unpack('\\219\\0\\0\\1\\0abc')}");
        s.add("return {cmsgpack.unpack('\\146\\1\\129\\1\\145')}");
        s.add("return {cmsgpack.unpack('')}");
        s.add("return {cmsgpack.unpack(123)}");
        s.add("return {cmsgpack.unpack('\\1', 5)}");
        s.add("return cmsgpack.unpack()");
        s.add("return cmsgpack.unpack({})");
        // unpack_one and unpack_limit
        s.add("return {cmsgpack.unpack_one('\\1\\2\\3'), cmsgpack.unpack_one('\\1\\2\\3', 1), cmsgpack.unpack_one('\\1\\2\\3', 2), cmsgpack.unpack_one('\\1\\2\\3', 3)}");
        s.add("return {cmsgpack.unpack_one('')}");
        s.add("return {cmsgpack.unpack_one('\\1\\2', 1.7)}");
        s.add("return cmsgpack.unpack_one('\\1\\2', -1)");
        s.add("return cmsgpack.unpack_one('\\1\\2', 3)");
        s.add("return cmsgpack.unpack_one('\\1\\2', 'x')");
        s.add("return {cmsgpack.unpack_limit('\\1\\2', 0, 0)}");
        s.add("return {cmsgpack.unpack_limit('\\1\\2\\3', 0, 1)}");
        s.add("return {cmsgpack.unpack_limit('\\1\\2\\3', 2)}");
        s.add("return {cmsgpack.unpack_limit('\\1\\2\\3', 5, 1)}");
        s.add("return {cmsgpack.unpack_limit('\\1\\2\\3', -1)}");
        s.add("return {cmsgpack.unpack_limit('\\1\\2\\3')}");
        s.add("return {cmsgpack.unpack_limit('\\1\\2\\3', 1, 2, 9)}");
        // errors and limits
        s.add("return cmsgpack.pack()");
        s.add("return cmsgpack:pack()");
        s.add(hex + "return hex(cmsgpack.pack(bit))");
        s.add("return #cmsgpack.pack(unpack((function() local t = {} for i = 1, 3999 do t[i] = i end return t end)()))");
        s.add("return cmsgpack.pack(unpack((function() local t = {} for i = 1, 4001 do t[i] = i end return t end)()))");
        s.add("return #{cmsgpack.unpack(string.rep('\\1', 7990))}");
        s.add("return #{cmsgpack.unpack(string.rep('\\1', 9000))}");
        s.add("return #cmsgpack.unpack(string.rep('\\145', 3000) .. '\\1')");
        s.add("return #cmsgpack.unpack(string.rep('\\145', 5000) .. '\\1')");
        s.add("return #cmsgpack.unpack(string.rep('\\129\\1', 5000) .. '\\1')");
        s.add("return {cmsgpack.unpack(cmsgpack.pack('a\\0b', '\\255\\254', string.rep('\\0', 40)))}");
        s.add("cmsgpack.pack = function() return 1 end");
        s.add("local t = {} for k, v in pairs(cmsgpack) do t[#t+1] = k .. '=' .. tostring(type(v) == 'string' and v or type(v)) end return t");
        check(s);
    }

    @Test
    void cjson() throws IOException {
        List<String> s = new ArrayList<>();
        // Redis' own tests
        s.add("return table.concat(cjson.decode(\"[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]\"), \" \")");
        s.add("local decoded = cjson.decode('{\"keya\": \"a\", \"keyb\": \"b\"}') return {decoded.keya, decoded.keyb}");
        s.add("local some_map = { s1='Some string', n1=100, a1={'Some','String','Array'}, nil1=nil, b1=true, b2=false}\n"
            + "local encoded = cjson.encode(some_map) local decoded = cjson.decode(encoded) assert(table.concat(some_map) == table.concat(decoded))\n"
            + "cjson.encode_keep_buffer(false) encoded = cjson.encode(some_map) decoded = cjson.decode(encoded) assert(table.concat(some_map) == table.concat(decoded))\n"
            + "local table1 = {one='one', [1]='one'} encoded = cjson.encode(table1) decoded = cjson.decode(encoded)\n"
            + "assert(decoded['one'] == table1['one']) assert(decoded['1'] == table1[1])\n"
            + "local array1 = {[1]='one', [2]='two'} encoded = cjson.encode(array1) decoded = cjson.decode(encoded) assert(table.concat(array1) == table.concat(decoded))\n"
            + "local invalid_map = {} invalid_map[false] = 'false' local ok, encoded = pcall(cjson.encode, invalid_map) assert(ok == false)\n"
            + "cjson.encode_max_depth(1) ok, encoded = pcall(cjson.encode, some_map) assert(ok == false)\n"
            + "cjson.decode_max_depth(1) ok, decoded = pcall(cjson.decode, '{\"obj\": {\"array\": [1,2,3,4]}}') assert(ok == false)\n"
            + "ok, encoded = pcall(cjson.encode, {num1=0/0}) assert(ok == false) cjson.encode_invalid_numbers(true)\n"
            + "ok, encoded = pcall(cjson.encode, {num1=0/0}) assert(ok == true)\n"
            + "cjson.decode_max_depth(1000) cjson.encode_max_depth(1000) cjson.encode_invalid_numbers(false) return cjson.encode_keep_buffer(true)");
        // encoding
        s.add("return {cjson.encode('a'), cjson.encode(1), cjson.encode(true), cjson.encode(false), cjson.encode(nil), cjson.encode(cjson.null), cjson.encode({})}");
        s.add("local t = {} for i = 0, 255 do t[#t+1] = string.char(i) end return cjson.encode(table.concat(t))");
        s.add("return cjson.encode({'/', '\"', '\\\\', '\\0', '\\127', '\\128\\255', 'h\\195\\169'})");
        s.add("return cjson.encode({0.1, 1e100, 123456789012345, 12345678901234, 1/3, -0.0, 1e-5, 2^63, 1e15, 0.0001, 1e-7, -1.5e-300, 5e-324, 1.7976931348623157e308,"
            + " 99999999999999.5, 0.000123456789012345, 100, -100, 2^53, 1e14, 1e13, 123.456, -7})");
        s.add("return cjson.encode({[1]=1, [2]=2, [4]=4})");
        s.add("return cjson.encode({[1]=1, [20]=2})");
        s.add("return cjson.encode({[11]=1})");
        s.add("return cjson.encode({[10]=1})");
        s.add("return cjson.encode({[2^40]=1})");
        s.add("return cjson.encode({[1.5]=1})");
        s.add("return cjson.encode({[-1]=1, [0]=2})");
        s.add("return cjson.encode({[0]=1})");
        s.add("return cjson.encode({[1]='a', x='b'})");
        s.add("return cjson.encode({[true]=1})");
        s.add("return cjson.encode({[{}]=1})");
        s.add("return cjson.encode({function() end})");
        s.add("return cjson.encode(function() end)");
        s.add("return cjson.encode(coroutine.create(function() end))");
        s.add("return cjson.encode({1/0})");
        s.add("return cjson.encode({[1/0]=1})");
        s.add("return cjson.encode({0/0})");
        s.add("return cjson.encode()");
        s.add("return cjson.encode(1, 2)");
        s.add("local t = {} t[1] = t return cjson.encode(t)");
        s.add("local t = {} local cur = t for i = 1, 999 do cur[1] = {} cur = cur[1] end return #cjson.encode(t)");
        s.add("local t = {} local cur = t for i = 1, 1000 do cur[1] = {} cur = cur[1] end return cjson.encode(t)");
        s.add("local t = {} local cur = t for i = 1, 1000 do cur.a = {} cur = cur.a end return cjson.encode(t)");
        s.add("return cjson.encode(cjson)");
        s.add("return cjson.encode({a={b={c={1,2,{d=cjson.null}}}}})");
        s.add("local c = cjson.new() c.encode_max_depth(10000) local t = {} local cur = t for i = 1, 5000 do cur.a = {} cur = cur.a end return c.encode(t)");
        s.add("local c = cjson.new() c.encode_max_depth(10000) local t = {} local cur = t for i = 1, 9000 do cur[1] = {} cur = cur[1] end return c.encode(t)");
        // configuration
        s.add("local c = cjson.new() return {c.encode_sparse_array(true), c.encode({[1]=1, [20]=2}), c.encode({[1]=1, [20]=2, [21]=3})}");
        s.add("local c = cjson.new() return {c.encode_sparse_array(false, 0), c.encode({[1000]=1})}");
        s.add("local c = cjson.new() return {c.encode_sparse_array(nil, 3, 2), c.encode({[1]=1, [3]=2}), c.encode({[1]=1, [4]=2})}");
        s.add("return {cjson.encode_sparse_array()}");
        s.add("local c = cjson.new() return {c.encode_number_precision(3), c.encode({math.pi, 1234.5, 0.0001234, 1e20}), c.encode_number_precision(1), c.encode(15)}");
        s.add("local c = cjson.new() return {c.encode_number_precision(14), c.encode_number_precision()}");
        s.add("return cjson.encode_number_precision(15)");
        s.add("return cjson.encode_number_precision(0)");
        s.add("local c = cjson.new() return {c.encode_invalid_numbers(true), c.encode({1/0, -1/0, 0/0}), c.encode_invalid_numbers('null'), c.encode({1/0, 0/0, [2]=-1/0}),"
            + " c.encode_invalid_numbers('off'), c.encode_invalid_numbers('on'), c.encode({[1/0]=1})}");
        s.add("local c = cjson.new() c.encode_invalid_numbers('null') return c.encode({[1/0]=1})");
        s.add("return cjson.encode_invalid_numbers('maybe')");
        s.add("return cjson.encode_invalid_numbers(1)");
        s.add("return cjson.encode_invalid_numbers({})");
        s.add("return cjson.encode_max_depth(2^32+5)");
        s.add("local c = cjson.new() return {c.encode_max_depth(2^32+5), c.decode_max_depth(7), c.encode_keep_buffer(false), c.encode_keep_buffer('on'), c.decode_invalid_numbers('off')}");
        s.add("return cjson.encode_max_depth(0)");
        s.add("return cjson.encode_max_depth('x')");
        s.add("return cjson.encode_max_depth('5')");
        s.add("return cjson.encode_max_depth(1, 2)");
        s.add("return cjson.encode_keep_buffer('xx')");
        s.add("return cjson.encode_keep_buffer('o\\0n')");
        s.add("return cjson.encode_sparse_array(true, 1, 2, 3)");
        s.add("return {cjson.encode_sparse_array(nil, 'a')}");
        s.add("return {cjson.encode_sparse_array(nil, -1)}");
        s.add("return {cjson.encode_sparse_array(nil, nil, -1)}");
        s.add("local c = cjson.new() local d = cjson.new() c.encode_max_depth(1) return {pcall(c.encode, {{}}), d.encode({{}}), cjson.encode({{}}), c._NAME, c._VERSION, type(c.null), c.null == cjson.null}");
        // decoding
        s.add("local r = {} for _, t in ipairs({'1', '-1', '1.5', '-0.0', '1e2', '1E-2', '1e+2', '0.1', '12345678901234567890', '1e400', '-1e400', '0x10',"
            + " '-0x1F', '0x1p4', '0x.8', '0x1.8p1', '0X1P-2', '0x1.', '0x', '0xg', '0x1p', '0x1p+', '007', '+5', '5e', '5e+', '1.e3', '1.', '-.5', '1e-400',"
            + " '123456789012345678901234567890e-10', '2.2250738585072011e-308', '0.1e1', '00', '-', '1..2', '[1,2.5e3,-3]', '1e99999999999', '0x1p99999999999',"
            + " '0x123456789abcdef123p0', '4.9e-324', '2.4703282292062328e-324', '2.4703282292062327e-324'}) do"
            + " local ok, v = pcall(cjson.decode, t) if type(v) == 'number' then v = string.format('%.17g', v) elseif type(v) == 'table' then v = cjson.encode(v) end"
            + " r[#r+1] = t .. ' -> ' .. tostring(ok) .. ' ' .. tostring(v) end return r");
        s.add("local c = cjson.new() c.encode_invalid_numbers(true) return c.encode(cjson.decode('[inf, -inf, Infinity, -infinity, nan, -nan, NaN, nan(123), INF]'))");
        s.add("return cjson.encode(cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":\"\\\\u00e9\\\\ud83d\\\\ude00\\\\n\\\\t\\\\/\\\\\\\\\\\\\"\\\\b\\\\f\\\\r\\\\u0000\"}'))");
        s.add("local t = cjson.decode('[\"\\\\u0041\\\\u00ff\\\\u0800\\\\uffff\\\\udbff\\\\udfff\"]') return t[1]");
        s.add("return {cjson.decode('\"abc\"'), cjson.decode('  12  '), cjson.decode('true'), cjson.decode('false'), type(cjson.decode('null')), cjson.decode('null') == cjson.null, cjson.decode(42)}");
        s.add("local t = cjson.decode('{\"a\":1,\"a\":2,\"b\":{}}') return {t.a, type(t.b), next(t.b) == nil}");
        s.add("local t = cjson.decode('[1,null,3]') return {#t, t[1], t[3], t[2] == cjson.null}");
        s.add("return cjson.decode('\"\\\\ud800\"')");
        s.add("return cjson.decode('\"\\\\udc00\"')");
        s.add("return cjson.decode('\"\\\\ud800\\\\u0041\"')");
        s.add("return cjson.decode('\"\\\\ud800x\"')");
        s.add("return cjson.decode('\"\\\\u12\"')");
        s.add("return cjson.decode('\"\\\\x\"')");
        s.add("return cjson.decode('\"abc')");
        s.add("return cjson.decode('\"a\\0b\"')");
        s.add("return cjson.decode('{\"a\":1')");
        s.add("return cjson.decode('{\"a\" 1}')");
        s.add("return cjson.decode('{1:2}')");
        s.add("return cjson.decode('{\"a\":1,}')");
        s.add("return cjson.decode('[1,]')");
        s.add("return cjson.decode('[1 2]')");
        s.add("return cjson.decode('[1e]')");
        s.add("return cjson.decode('')");
        s.add("return cjson.decode(' ')");
        s.add("return cjson.decode('a\\0')");
        s.add("return cjson.decode('\\0a')");
        s.add("return cjson.decode('[1]\\0garbage')");
        s.add("return cjson.decode('[1] x')");
        s.add("return cjson.decode('tru')");
        s.add("return cjson.decode('nul')");
        s.add("return cjson.decode('-')");
        s.add("return cjson.decode('- 1')");
        s.add("return cjson.decode('+')");
        s.add("return cjson.decode('.5')");
        s.add("return cjson.decode('infinit')");
        s.add("return cjson.decode('ix')");
        s.add("return cjson.decode('\\255')");
        s.add("return cjson.decode(']')");
        s.add("return cjson.decode('{\"a\":}')");
        s.add("return cjson.decode()");
        s.add("return cjson.decode('1', '2')");
        s.add("return cjson.decode(nil)");
        s.add("return cjson.decode({})");
        s.add("local c = cjson.new() c.decode_invalid_numbers(false) return {pcall(c.decode, '0x10'), pcall(c.decode, '[01]'), pcall(c.decode, 'nan'), pcall(c.decode, '-inf'),"
            + " pcall(c.decode, '+1'), pcall(c.decode, '-0'), pcall(c.decode, '[1.5e3]'), pcall(c.decode, 'Infinity')}");
        s.add("return {struct.pack('>d', cjson.decode('nan')), struct.pack('>d', cjson.decode('-nan')), struct.pack('>d', cjson.decode('nan(123)')),"
            + " struct.pack('>d', 0/0), tostring(cjson.decode('nan')), tostring(cjson.decode('-nan')), tostring(0/0), struct.pack('>d', cjson.decode('-0'))}");
        s.add("local r = {} for _, t in ipairs({'nan()', 'nan(0x7b)', 'nan(017)', 'nan(abc)', 'nan(12ab)', 'nan(0x)', 'nan(99999999999999999999999)', '-nan(5)',"
            + " 'nan(_)', 'nan(5', 'NaN(0xFFFFFFFFFFFFF)', 'nan(0x8000000000000)'}) do local ok, v = pcall(cjson.decode, t)"
            + " r[#r+1] = ok and struct.pack('>d', v) or v end return r");
        s.add("return cjson.decode(string.rep('[', 1001) .. string.rep(']', 1001))");
        s.add("return #cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000))");
        s.add("return cjson.decode(string.rep('{\"a\":', 1001) .. '1' .. string.rep('}', 1001))");
        s.add("local c = cjson.new() c.decode_max_depth(100000) return #c.decode(string.rep('[', 9000) .. string.rep(']', 9000))");
        s.add("local c = cjson.new() c.decode_max_depth(100000) return c.decode(string.rep('{\"a\":', 5000) .. '1' .. string.rep('}', 5000))");
        s.add("local c = cjson.new() c.decode_max_depth(3) return c.decode('[[[[1]]]]')");
        s.add("return cjson.decode('{\"obj\": {\"array\": [1,2,3,4]}}').obj.array[4]");
        // the table and its protection
        s.add("local t = {} for k, v in pairs(cjson) do t[#t+1] = k .. '=' .. type(v) end return t");
        s.add("return {cjson._NAME, cjson._VERSION, type(cjson.null), tostring(cjson.null), type(cjson.encode)}");
        s.add("cjson.encode = function() return 1 end");
        s.add("local c = cjson.new() c.encode = 5 return c.encode");
        check(s);
    }

    @Test
    void errorPositionsAndCalls() throws IOException {
        check(List.of(
            "local x = cjson.decode('[') return x",
            "\n\nreturn cjson.encode({[true]=1})",
            "return pcall(cjson.decode, '[')",
            "local ok, e = pcall(cjson.decode, '[') return e",
            "local ok, e = pcall(struct.pack, 'z') return e",
            "local ok, e = pcall(function() return struct.pack('z') end) return e",
            "local ok, e = pcall(function() local x = struct.pack('z') return x end) return e",
            "local co = coroutine.create(function() return cjson.encode({1, 2}), bit.tohex(255), struct.pack('>h', 1) end) return {coroutine.resume(co)}",
            "local co = coroutine.create(function() return cjson.decode('x') end) return {coroutine.resume(co)}",
            "local t = {cjson = cjson} return t.cjson.decode('[')",
            "return cjson.decode(cjson.encode({a = {1, 2, 3}})).a[3]",
            "return redis.call('ping') .. cjson.encode({redis.call('ping')})",
            "return cjson:encode_max_depth(5)",
            "return cjson:decode()",
            "return cjson:encode()",
            "return struct:pack('b')",
            "return struct:size()",
            "return cmsgpack:unpack()",
            "return cmsgpack:unpack_limit(1)",
            "return bit:band(1)",
            "return bit.band(1, bit)",
            "local s = 'x' return s:rep(2) .. struct.pack('b', 1):byte()",
            "local t = {f = struct.unpack} return t.f('b')",
            "return (struct.size)('s')",
            "local u = {bit.tobit} return u[1]('z')"
        ));
    }

    /** The libraries from functions (FUNCTION LOAD, FCALL): what they return and raise. */
    @Test
    void functions() throws IOException {
        String lib = "#!lua name=lualibs\n"
            + "redis.register_function('libs_ok', function(keys, args) return {cjson.encode({1, 'a', {b = false}}), bit.tohex(255), struct.pack('>h', 1),"
            + " cmsgpack.pack(1, 'x'), cjson.decode(args[1])[2], select(2, cmsgpack.unpack_one(args[2]))} end)\n"
            + "redis.register_function('libs_err', function(keys, args) return cjson.decode('[') end)\n"
            + "redis.register_function('libs_err2', function(keys, args) local x = struct.unpack('i', args[1]) return x end)";
        List<byte[][]> steps = List.of(
            new byte[][] {b("FUNCTION"), b("LOAD"), b("REPLACE"), b(lib)},
            new byte[][] {b("FCALL"), b("libs_ok"), b("0"), b("[1, 2]"), b("\u0092\u0001\u00a1x")},
            new byte[][] {b("FCALL"), b("libs_err"), b("0")},
            new byte[][] {b("FCALL"), b("libs_err2"), b("0"), b("ab")},
            new byte[][] {b("FUNCTION"), b("LOAD"), b("#!lua name=lualibs2\nlocal x = cjson.encode({1})\nredis.register_function('x', function() return x end)")},
            new byte[][] {b("FUNCTION"), b("DELETE"), b("lualibs")});
        List<String> diffs = new ArrayList<>();
        for (byte[][] step : steps) {
            String want = render(send(step));
            String got;
            try {
                got = render(client.call(step));
            } catch (EmbeddedClient.CommandException e) {
                got = render(new Err(e.getMessage()));
            }
            if (Boolean.getBoolean("lualibs.verbose")) {
                System.out.println(new String(step[0], StandardCharsets.ISO_8859_1) + "\n  both:     " + got);
            }
            if (!want.equals(got)) {
                diffs.add(new String(step[0], StandardCharsets.ISO_8859_1) + ": redis " + want + ", cachalot " + got);
            }
        }
        assertThat(diffs).isEmpty();
    }

    /** Large inputs and many calls: results compared, times printed (not asserted). */
    @Test
    void largeInputs() throws IOException {
        String[] scripts = {
            "local t = {} for i = 1, 200000 do t[i] = i * 1.37 end return #cjson.encode(t)",
            "local t = {} for i = 1, 50000 do t['k' .. i] = {i, 'v' .. i, true} end return #cjson.encode(t)",
            "local t = {} for i = 1, 200000 do t[i] = i * 1.37 end local s = cjson.encode(t) return #cjson.decode(s)",
            "local t = {} for i = 1, 50000 do t['k' .. i] = {i, 'v' .. i, true} end return #cmsgpack.pack(t)",
            "local t = {} for i = 1, 50000 do t['k' .. i] = {i, 'v' .. i, true} end local u = cmsgpack.unpack(cmsgpack.pack(t)) return u.k5[2]",
            "local n = 0 for i = 1, 100000 do n = n + bit.band(i, 255) end return n",
            "local n = 0 for i = 1, 100000 do n = n + #struct.pack('>iHd', i, i % 65536, i / 3) end return n",
            "local n = 0 for i = 1, 100000 do n = n + struct.unpack('>i', '\\0\\0\\1\\0') end return n",
            "local n = 0 for i = 1, 100000 do n = n + #cjson.encode({i, 'x'}) end return n",
            "local n = 0 for i = 1, 100000 do n = n + #cjson.decode('[1,2,\"abc\"]') end return n",
        };
        for (String script : scripts) {
            byte[] s = b(script);
            long t0 = System.nanoTime();
            Object want = reference(s);
            long t1 = System.nanoTime();
            Object got = embedded(s);
            long t2 = System.nanoTime();
            System.out.printf("%6d ms redis, %6d ms cachalot: %s%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, script);
            assertThat(render(got)).as(script).isEqualTo(render(want));
        }
    }

    // ------------------------------------------------------------------ randomized

    private static long seed() {
        String s = System.getProperty("lualibs.seed");
        long seed = s != null ? Long.parseLong(s) : new Random().nextLong();
        System.out.println("LuaLibrariesTest random seed: " + seed + " (replay with -Dlualibs.seed=" + seed + ")");
        return seed;
    }

    /** Random nested values through cmsgpack.pack/unpack and cjson.encode/decode, output bytes compared. */
    @Test
    void randomRoundTrips() throws IOException {
        Random r = new Random(seed());
        List<String> scripts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            budget = 150;
            longStrings = 2;
            String value = randomValue(r, 0, 1 + r.nextInt(20));
            scripts.add("local v = " + value + "\n"
                + "local p = cmsgpack.pack(v) local u = cmsgpack.unpack(p) local p2 = cmsgpack.pack(u)\n"
                + "local ok, j = pcall(cjson.encode, v) local ok2, j2 = false, nil\n"
                + "if ok then ok2, j2 = pcall(function() return cjson.encode(cjson.decode(j)) end) end\n"
                + "local c = cjson.new() c.encode_invalid_numbers(true) c.encode_sparse_array(true) c.encode_max_depth(50)\n"
                + "local ok3, j3 = pcall(c.encode, v)\n"
                + "return {p, p2, tostring(ok), j, tostring(ok2), j2, tostring(ok3), j3}");
        }
        check(scripts);
    }

    /** Random JSON texts (valid and damaged) through cjson.decode, results re-encoded. */
    @Test
    void randomJsonDecoding() throws IOException {
        Random r = new Random(seed());
        List<String> scripts = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            StringBuilder sb = new StringBuilder();
            randomJson(r, sb, 0);
            String text = sb.toString();
            if (r.nextInt(3) == 0 && text.length() > 0) {
                int at = r.nextInt(text.length());
                switch (r.nextInt(3)) {
                    case 0:
                        text = text.substring(0, at);
                        break;
                    case 1:
                        String junk = "\",:]}x\\\u0000 {[-+.eE";
                        text = text.substring(0, at) + junk.charAt(r.nextInt(junk.length())) + text.substring(at);
                        break;
                    default:
                        text = text.substring(0, at) + text.substring(at + 1);
                }
            }
            scripts.add("local c = cjson.new() c.encode_invalid_numbers(true) c.encode_sparse_array(true)\n"
                + "local ok, v = pcall(cjson.decode, " + luaString(text) + ")\n"
                + "if not ok then return v end return c.encode(v)");
        }
        check(scripts);
    }

    /** Random numbers through cjson's "%.14g" (and other precisions), struct and cmsgpack. */
    @Test
    void randomNumbers() throws IOException {
        Random r = new Random(seed());
        List<String> scripts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StringBuilder list = new StringBuilder("{");
            for (int j = 0; j < 50; j++) {
                list.append(luaNumber(randomDouble(r))).append(',');
            }
            list.append('}');
            int precision = 1 + r.nextInt(14);
            scripts.add("local v = " + list + " local c = cjson.new() c.encode_number_precision(" + precision + ")\n"
                + "local r = {cjson.encode(v), c.encode(v), cmsgpack.pack(v)}\n"
                + "for i, x in ipairs(v) do r[#r+1] = struct.pack('>dfiIlLhHbB', x, x, x, x, x, x, x, x, x, x) r[#r+1] = bit.tobit(x) r[#r+1] = bit.tohex(x, x) end\n"
                + "return r");
        }
        check(scripts);
    }

    /** Random struct formats (valid or not) with random arguments, packed then unpacked. */
    @Test
    void randomStruct() throws IOException {
        Random r = new Random(seed());
        String options = "bBhHlLTiIxfdcs<>! 0123456789zq";
        List<String> scripts = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            StringBuilder fmt = new StringBuilder();
            int len = 1 + r.nextInt(8);
            for (int j = 0; j < len; j++) {
                char o = options.charAt(r.nextInt(r.nextInt(10) == 0 ? options.length() : 17));
                fmt.append(o);
                if ((o == 'i' || o == 'I' || o == 'c' || o == '!') && r.nextBoolean()) {
                    fmt.append(r.nextInt(o == '!' ? 17 : 12));
                }
            }
            StringBuilder args = new StringBuilder();
            for (int j = 0; j < len; j++) {
                args.append(", ").append(r.nextInt(4) == 0 ? luaString(randomString(r, 12)) : luaNumber(randomDouble(r)));
            }
            String f = luaString(fmt.toString());
            scripts.add("local function s(t) for i, x in ipairs(t) do t[i] = type(x) == 'number' and string.format('%.17g', x) or tostring(x) end return t end\n"
                + "local ok, p = pcall(struct.pack, " + f + args + ")\n"
                + "local size = s({pcall(struct.size, " + f + ")})\n"
                + "if not ok then return {'pack', p, size} end\n"
                + "return {p, size, s({pcall(struct.unpack, " + f + ", p)}), s({pcall(struct.unpack, " + f + ", p .. 'tail', 2)})}");
        }
        check(scripts);
    }

    /** Random numbers through every bit operation. */
    @Test
    void randomBit() throws IOException {
        Random r = new Random(seed());
        List<String> scripts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StringBuilder sb = new StringBuilder("local r = {} local v = {");
            for (int j = 0; j < 30; j++) {
                sb.append(luaNumber(randomDouble(r))).append(',');
            }
            sb.append("}\nfor i = 1, #v - 2 do local a, b, c = v[i], v[i + 1], v[i + 2]\n"
                + "for _, x in ipairs({bit.tobit(a), bit.bnot(a), bit.band(a, b, c), bit.bor(a, b), bit.bxor(a, b, c), bit.lshift(a, b), bit.rshift(a, b),"
                + " bit.arshift(a, b), bit.rol(a, b), bit.ror(a, b), bit.bswap(a)}) do r[#r+1] = x end\n"
                + "r[#r+1] = bit.tohex(a) r[#r+1] = bit.tohex(a, b) end return r");
            scripts.add(sb.toString());
        }
        check(scripts);
    }

    // ------------------------------------------------------------------ generators

    private static String randomString(Random r, int max) {
        int len;
        switch (r.nextInt(12)) {
            case 0:
                len = 32 + r.nextInt(300);
                break;
            case 1:
                len = longStrings-- > 0 ? 250 + r.nextInt(70000) : r.nextInt(max + 1);
                break;
            default:
                len = r.nextInt(max + 1);
        }
        StringBuilder sb = new StringBuilder();
        int alphabet = r.nextInt(3);
        for (int i = 0; i < len; i++) {
            sb.append((char) (alphabet == 0 ? 'a' + r.nextInt(26) : alphabet == 1 ? 32 + r.nextInt(95) : r.nextInt(256)));
        }
        return sb.toString();
    }

    /** A Lua string literal of a byte string (chars are bytes). */
    private static String luaString(String s) {
        if (s.length() > 1000 && s.chars().distinct().count() == 1) {
            return "string.rep(" + luaString(s.substring(0, 1)) + ", " + s.length() + ")";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 32 && c < 127 && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append('\\').append((int) c);
                if (i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                    // a decimal escape takes up to three digits: pad it
                    sb.setLength(sb.length() - Integer.toString(c).length());
                    sb.append(String.format("%03d", (int) c));
                }
            }
        }
        return sb.append('"').toString();
    }

    private static double randomDouble(Random r) {
        switch (r.nextInt(14)) {
            case 0:
                return r.nextInt(256) - 128;
            case 1:
                return r.nextInt();
            case 2:
                return r.nextLong();
            case 3:
                return (r.nextLong() >>> r.nextInt(64)) * (r.nextBoolean() ? 1 : -1);
            case 4:
                return r.nextDouble();
            case 5:
                return (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20);
            case 6:
                return Double.longBitsToDouble(r.nextLong());
            case 7:
                return new double[] {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
                    Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 1e15, 1e14, 99999999999999.5, 2147483648.0, 4294967296.0,
                    9.2233720368547758E18, 1.8446744073709552E19, 0.5, 1.5, 2.5, -2.5}[r.nextInt(19)];
            case 8:
                return Math.pow(2, r.nextInt(130) - 65) * (r.nextBoolean() ? 1 : -1);
            case 9:
                return r.nextInt(1 << 20) / 1024.0;
            case 10:
                return Math.round(r.nextDouble() * 1e6) / 1e3;
            default:
                return r.nextInt(100000) - 50000;
        }
    }

    /** A Lua expression for a double, exact. */
    private static String luaNumber(double d) {
        if (Double.isNaN(d)) {
            return "(0/0)";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "(1/0)" : "(-1/0)";
        }
        if (d == 0 && 1 / d < 0) {
            return "(-0.0)";
        }
        String s = Double.toString(d);
        return d < 0 ? "(" + s + ")" : s;
    }

    /** Nodes (and long strings) a random value may still have. */
    private static int budget;
    private static int longStrings;

    private static String randomValue(Random r, int depth, int maxDepth) {
        int kind = depth >= maxDepth || --budget <= 0 ? r.nextInt(4) : r.nextInt(8);
        switch (kind) {
            case 0:
                return luaString(randomString(r, 40));
            case 1:
                return luaNumber(randomDouble(r));
            case 2:
                return r.nextBoolean() ? "true" : "false";
            case 3:
                return r.nextInt(4) == 0 ? "cjson.null" : luaNumber(r.nextInt(1000));
            case 4:
            case 5: {
                // an array, maybe with holes
                StringBuilder sb = new StringBuilder("{");
                int n = r.nextInt(r.nextInt(10) == 0 ? 40 : 6);
                for (int i = 0; i < n; i++) {
                    sb.append(r.nextInt(8) == 0 ? "nil" : randomValue(r, depth + 1, maxDepth)).append(',');
                }
                return sb.append('}').toString();
            }
            default: {
                StringBuilder sb = new StringBuilder("{");
                int n = r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    String key;
                    switch (r.nextInt(6)) {
                        case 0:
                            key = luaNumber(1 + r.nextInt(30));
                            break;
                        case 1:
                            key = luaNumber(randomDouble(r));
                            if (key.equals("(0/0)")) {
                                key = "0.25";
                            }
                            break;
                        default:
                            // shorter than 32 bytes: Redis' Lua hashes every byte of a string, stock
                            // Lua 5.1 (luajava's) only some of a longer one, so tables with longer
                            // keys iterate in another order
                            String k = randomString(r, 10);
                            key = luaString(k.length() < 32 ? k : k.substring(0, 31));
                    }
                    sb.append('[').append(key).append("]=").append(randomValue(r, depth + 1, maxDepth)).append(',');
                }
                return sb.append('}').toString();
            }
        }
    }

    private static void randomJson(Random r, StringBuilder sb, int depth) {
        int kind = depth > 6 ? r.nextInt(4) : r.nextInt(6);
        switch (kind) {
            case 0: {
                sb.append('"');
                int n = r.nextInt(10);
                for (int i = 0; i < n; i++) {
                    switch (r.nextInt(8)) {
                        case 0:
                            sb.append(new String[] {"\\n", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\t", "\\u00e9", "\\ud83d\\ude00",
                                "\\u0000", "\\uD800", "\\uDC00x", "\\q", "\\u12G4"}[r.nextInt(15)]);
                            break;
                        case 1:
                            sb.append((char) (128 + r.nextInt(128)));
                            break;
                        default:
                            sb.append((char) ('a' + r.nextInt(26)));
                    }
                }
                sb.append('"');
                break;
            }
            case 1: {
                String[] forms = {"0", "-0", "12", "-7", "1.5", "-0.25", "1e5", "1E-3", "2.5e+2", "0.1", "123456789012345678", "1e400",
                    "0x1F", "-0x10", "0x1.8p3", "007", "+3", "inf", "-Infinity", "nan", "NaN", "1.", ".5", "1e", "--1", "0.000001234",
                    "3.14159265358979323846", "5e-324", "2e-400", "0x", "1.5.2", "9007199254740993"};
                sb.append(forms[r.nextInt(forms.length)]);
                break;
            }
            case 2:
                sb.append(new String[] {"true", "false", "null", "tru", "nul"}[r.nextInt(r.nextInt(8) == 0 ? 5 : 3)]);
                break;
            case 3:
                sb.append(r.nextInt(100000) - 500).append(r.nextBoolean() ? "" : "." + r.nextInt(1000));
                break;
            case 4: {
                sb.append('[');
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(r.nextBoolean() ? "," : " , ");
                    }
                    randomJson(r, sb, depth + 1);
                }
                sb.append(']');
                break;
            }
            default: {
                sb.append(r.nextBoolean() ? "{" : " {\n");
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append('"').append((char) ('a' + r.nextInt(6))).append("\":");
                    randomJson(r, sb, depth + 1);
                }
                sb.append('}');
            }
        }
    }
}
