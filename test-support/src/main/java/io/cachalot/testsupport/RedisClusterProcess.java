package io.cachalot.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of real redis-server masters on free loopback ports, created with
 * {@code redis-cli --cluster create}, for a test; stopped (every node) by {@link #close()}.
 */
public final class RedisClusterProcess implements AutoCloseable {
    private final List<RedisServerProcess> nodes;

    private RedisClusterProcess(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
    }

    /** Starts {@code masters} nodes and joins them into one cluster covering every slot. */
    public static RedisClusterProcess start(int masters) {
        List<RedisServerProcess> nodes = new ArrayList<>();
        try {
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (int i = 0; i < masters; i++) {
                RedisServerProcess n = RedisServerProcess.start("--cluster-enabled", "yes",
                        "--cluster-node-timeout", "2000");
                nodes.add(n);
                cmd.add("127.0.0.1:" + n.port());
            }
            cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            }
            RedisClusterProcess c = new RedisClusterProcess(nodes);
            c.awaitOk();
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (RedisServerProcess n : nodes) {
                n.close();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
        }
    }

    private void awaitOk() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        for (RedisServerProcess n : nodes) {
            while (true) {
                try (RawClient c = new RawClient("127.0.0.1", n.port())) {
                    if (new String(c.call("CLUSTER", "INFO"), StandardCharsets.UTF_8).contains("cluster_state:ok")) {
                        break;
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the cluster did not reach cluster_state:ok");
                }
                Thread.sleep(50);
            }
        }
    }

    /** The nodes' ports. */
    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (RedisServerProcess n : nodes) {
            ports.add(n.port());
        }
        return ports;
    }

    @Override
    public void close() {
        for (RedisServerProcess n : nodes) {
            n.close();
        }
    }
}
