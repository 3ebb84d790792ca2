package io.cachalot.core.script;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cjson writes numbers with Java code that must print what C's "%.{precision}g" prints; Lua's own
 * string.format is that C printf, so random numbers are compared with it in the embedded engine
 * (no reference server needed). The seed is printed; -Dlualibs.seed=N replays one.
 */
class LuaCjsonNumbersTest {
    private final Engine engine = new Engine();
    private final EmbeddedClient client = new EmbeddedClient(engine);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void numbersAreWrittenAsPrintfG() {
        String s = System.getProperty("lualibs.seed");
        long seed = s != null ? Long.parseLong(s) : new Random().nextLong();
        System.out.println("LuaCjsonNumbersTest random seed: " + seed);
        Random r = new Random(seed);
        for (int round = 0; round < 20; round++) {
            StringBuilder list = new StringBuilder("{");
            for (int i = 0; i < 500; i++) {
                list.append(literal(number(r))).append(',');
            }
            list.append('}');
            String script = "local v = " + list + "\n"
                + "local bad = {} local cs = {} for p = 1, 14 do cs[p] = cjson.new() cs[p].encode_number_precision(p) end\n"
                + "for _, x in ipairs(v) do for p = 1, 14 do\n"
                + "  local want = string.format('%." + "' .. p .. 'g', x) local got = cs[p].encode(x)\n"
                + "  if got ~= want then bad[#bad+1] = string.format('%.17g', x) .. ' at ' .. p .. ': ' .. got .. ' instead of ' .. want end\n"
                + "end end return bad";
            Object bad = client.call("EVAL".getBytes(StandardCharsets.UTF_8), script.getBytes(StandardCharsets.ISO_8859_1),
                "0".getBytes(StandardCharsets.UTF_8));
            assertThat(((List<?>) bad).stream().map(o -> new String((byte[]) o, StandardCharsets.ISO_8859_1)))
                .as("seed %d", seed).isEmpty();
        }
    }

    private static double number(Random r) {
        switch (r.nextInt(9)) {
            case 0:
                return Double.longBitsToDouble(r.nextLong() & 0x7fffffffffffffffL) * (r.nextBoolean() ? 1 : -1);
            case 1:
                return Math.round(r.nextDouble() * Math.pow(10, r.nextInt(18))) / Math.pow(10, r.nextInt(18));
            case 2:
                return r.nextInt(1000000) * 1.37;
            case 3: // subnormal: with many significant bits, or few (a short shortest representation)
                return r.nextBoolean() ? Double.longBitsToDouble(r.nextLong() & 0x000fffffffffffffL)
                    : Double.MIN_VALUE * (1 + r.nextInt(100000)) * (1L << r.nextInt(40));
            case 4:
                return (r.nextInt(2000) - 1000) / 8.0;
            case 5:
                return Math.pow(10, r.nextInt(40) - 20) * (r.nextInt(19) - 9) / 2;
            case 6:
                return r.nextLong() / (double) (1L << r.nextInt(63));
            default:
                return (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(600) - 300);
        }
    }

    private static String literal(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "0";
        }
        String s = Double.toString(d);
        return d < 0 ? "(" + s + ")" : s;
    }
}
