package io.cachalot.core.script;

import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Scripts from the embedded client: the full command path, no socket. */
class ScriptingTest {
    private final Engine engine = new Engine();
    private final EmbeddedClient client = new EmbeddedClient(engine);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void evalRunsCommandsAndConvertsReplies() {
        assertThat(client.call("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v")).isEqualTo("OK");
        assertThat(client.call("EVAL", "return redis.call('get', KEYS[1])", "1", "k")).isEqualTo("v".getBytes());
    }
}
