package io.cachalot.tck;

import io.cachalot.core.Engine;
import io.cachalot.core.spi.EngineServer;
import io.cachalot.provider.CachalotCachingProvider;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The remote TCK runs: with the system property {@code cachalot.tck.remote} set to
 * {@code cachalot} or {@code redis}, starts that server on a free port before the TCK's tests
 * and points every CacheManager at it ({@code cachalot.mode=remote} through the provider's
 * {@code cachalot.config} file); stops it when the tests end. Without the property it does
 * nothing (the embedded run).
 */
public final class RemoteTckServer implements TestExecutionListener {
    private AutoCloseable server;

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        String kind = System.getProperty("cachalot.tck.remote");
        if (kind == null || kind.isBlank()) {
            return;
        }
        int port;
        if (kind.equals("redis")) {
            RedisServerProcess r = RedisServerProcess.start();
            server = r;
            port = r.port();
        } else if (kind.equals("cachalot")) {
            Engine engine = new Engine();
            EngineServer.Serving serving;
            try {
                serving = ServiceLoader.load(EngineServer.class).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no cachalot-server on the classpath"))
                        .serve(engine, "127.0.0.1", 0);
            } catch (IOException e) {
                engine.close();
                throw new UncheckedIOException(e);
            }
            server = () -> {
                serving.close();
                engine.close();
            };
            port = serving.port();
        } else {
            throw new IllegalArgumentException("cachalot.tck.remote must be cachalot or redis: " + kind);
        }
        try {
            Path config = Files.createTempFile("cachalot-tck-remote", ".properties");
            config.toFile().deleteOnExit();
            Files.writeString(config, "cachalot.mode=remote\ncachalot.remote.uri=redis://127.0.0.1:" + port + "\n");
            System.setProperty(CachalotCachingProvider.CONFIG_PROPERTY, config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (server != null) {
            try {
                server.close();
            } catch (Exception e) {
                // the JVM ends next
            }
            server = null;
        }
    }
}
