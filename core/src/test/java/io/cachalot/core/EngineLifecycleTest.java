package io.cachalot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachalot.core.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * An engine hands itself to its threads (cron, heap guard, setting listeners) only once it is
 * whole: started and stopped in a loop at a high hz, where the cron's first tick comes within
 * two milliseconds of construction, no tick may fail.
 */
class EngineLifecycleTest {
    @Test
    void startsAndStopsInALoopAtHighHzWithoutACronFailure() throws Exception {
        CapturedLog.clear();
        long deadline = System.nanoTime() + 3_000_000_000L;
        int engines = 0;
        while (engines < 300 || System.nanoTime() < deadline && engines < 3000) {
            Settings settings = new Settings();
            settings.config.setAtStartup("hz", "500");
            try (Engine engine = new Engine(settings)) {
                new io.cachalot.core.api.EmbeddedClient(engine).call("SET", "k", "v");
                if (engines % 50 == 0) {
                    Thread.sleep(5); // a few ticks run on a live engine too
                }
            }
            engines++;
        }
        assertThat(CapturedLog.warnings()).as("warnings logged by %d engines", engines).isEmpty();
    }
}
