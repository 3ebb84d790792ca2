package io.cachalot.server;

import io.cachalot.testsupport.DiffScript;
import io.cachalot.testsupport.DifferentialRunner;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The curated differential cases (src/test/resources/diff/*.diff): each case runs against a real
 * redis-server and against Cachalot, and every reply must be the same bytes. A file whose first
 * line is {@code # server-args: --name value ...} runs against its own pair of servers started
 * with that configuration (e.g. a password).
 */
class DifferentialTest extends ReferenceTestBase {
    private static final String SERVER_ARGS = "# server-args:";
    @TestFactory
    Stream<DynamicNode> cases() throws Exception {
        URL dir = DifferentialTest.class.getResource("/diff");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(dir.toURI()))) {
            // -Ddiff.only=name runs one file (while working on it)
            String only = System.getProperty("diff.only", "");
            s.filter(p -> p.toString().endsWith(".diff") && p.getFileName().toString().startsWith(only))
                    .sorted().forEach(files::add);
        }
        List<DynamicNode> tests = new ArrayList<>();
        DifferentialRunner runner = new DifferentialRunner(redis.port(), cachalot.port());
        for (Path f : files) {
            List<DiffScript.Case> cases;
            try (InputStream in = Files.newInputStream(f)) {
                cases = DiffScript.parse(f.getFileName().toString(), in);
            }
            String first = Files.readAllLines(f).get(0);
            if (first.startsWith(SERVER_ARGS)) {
                String[] args = first.substring(SERVER_ARGS.length()).trim().split("\\s+");
                tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> runOwnServers(args, cases)));
                continue;
            }
            for (DiffScript.Case c : cases) {
                tests.add(DynamicTest.dynamicTest(c.toString(), () -> runner.run(c)));
            }
        }
        return tests.stream();
    }

    /** Runs the cases of a file against servers started with {@code args} ("--name value" pairs). */
    private static void runOwnServers(String[] args, List<DiffScript.Case> cases) throws Exception {
        String[] config = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            config[i] = args[i].startsWith("--") ? args[i].substring(2) : args[i];
        }
        try (RedisServerProcess r = RedisServerProcess.start(args);
             CachalotFixture c = CachalotFixture.start(config)) {
            String password = null;
            for (int i = 0; i + 1 < args.length; i++) {
                if (args[i].equals("--requirepass")) {
                    password = args[i + 1];
                }
            }
            DifferentialRunner runner = new DifferentialRunner(r.port(), c.port(), password);
            for (DiffScript.Case dc : cases) {
                runner.run(dc);
            }
        }
    }
}
