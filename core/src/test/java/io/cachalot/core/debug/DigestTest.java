package io.cachalot.core.debug;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DEBUG DIGEST values taken from redis-server 7.0.15 for the same datasets. */
@SuppressWarnings("unchecked")
class DigestTest {
    @Test
    void matchesRedis() {
        try (Engine engine = new Engine()) {
            EmbeddedClient c = new EmbeddedClient(engine);
            forceDebug(engine);
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo("0000000000000000000000000000000000000000");
            c.call("SET", "k", "v");
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo("264ccf65edec66bccfa7cc659414ccca432057d2");
            c.call("SET", "n", "12345");
            c.call("SELECT", "3");
            c.call("SET", "x", "y");
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo("0b430ebf743e674567d0cdae3fb01d7fd67d9353");
            c.call("SELECT", "0");
            assertThat((List<Object>) c.call("DEBUG", "DIGEST-VALUE", "k", "n"))
                    .containsExactly("d79ee9fe5d5ad902d7f6620efc3b07b75ddd742f", "e1cf90774e995ae03de66e8109dc5cb9d9c2dc83");
            c.call("EXPIRE", "k", "1000");
            assertThat((List<Object>) c.call("DEBUG", "DIGEST-VALUE", "k"))
                    .containsExactly("311b17018163335616e089f6b951c82c477335ac");
        }
    }

    private static void forceDebug(Engine engine) {
        try {
            engine.settings().config.setAtStartup("enable-debug-command", "yes");
        } catch (io.cachalot.core.config.ConfigException e) {
            throw new AssertionError(e);
        }
    }
}
