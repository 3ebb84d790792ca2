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
        return start(masters, 0);
    }

    /**
     * Starts {@code masters} masters with {@code replicas} replicas each, joined into one cluster
     * covering every slot (a replica takes over when its master stops).
     */
    public static RedisClusterProcess start(int masters, int replicas) {
        List<RedisServerProcess> nodes = new ArrayList<>();
        try {
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (int i = 0; i < masters * (1 + replicas); i++) {
                RedisServerProcess n = RedisServerProcess.start("--cluster-enabled", "yes",
                        "--cluster-node-timeout", "2000");
                nodes.add(n);
                cmd.add("127.0.0.1:" + n.port());
            }
            cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
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

    /** Waits until every running node says cluster_state:ok (after a failover, for instance). */
    public void awaitOk() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        for (RedisServerProcess n : nodes) {
            if (stopped.contains(n.port())) {
                continue;
            }
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

    private final java.util.Set<Integer> stopped = new java.util.HashSet<>();

    /** Stops the node on {@code port} (as a crash would, for a failover). */
    public void stop(int port) {
        for (RedisServerProcess n : nodes) {
            if (n.port() == port) {
                n.close();
                stopped.add(port);
            }
        }
    }

    /** The ports of the nodes that are masters now (as the first running node sees them). */
    public List<Integer> masterPorts() throws IOException {
        for (RedisServerProcess n : nodes) {
            if (stopped.contains(n.port())) {
                continue;
            }
            try (RawClient c = new RawClient("127.0.0.1", n.port())) {
                String out = new String(c.call("CLUSTER", "NODES"), StandardCharsets.UTF_8);
                List<Integer> ports = new ArrayList<>();
                for (String line : out.split("\n")) {
                    String[] f = line.split(" ");
                    if (f.length > 2 && f[2].contains("master") && !f[2].contains("fail")) {
                        String addr = f[1];
                        ports.add(Integer.parseInt(addr.substring(addr.indexOf(':') + 1, addr.indexOf('@'))));
                    }
                }
                return ports;
            }
        }
        throw new IllegalStateException("no node running");
    }

    /** The nodes' ports (all of them, masters first as created). */
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
            if (!stopped.contains(n.port())) {
                n.close();
            }
        }
    }
}
