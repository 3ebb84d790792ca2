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
            c.awaitRoles(masters, masters * replicas);
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

    /** Waits until every running master's replicas have acknowledged all its writes (WAIT). */
    public void awaitReplicated() throws IOException {
        for (int port : masterPorts()) {
            try (RawClient c = new RawClient("127.0.0.1", port)) {
                String replicas = new String(c.call("INFO", "replication"), StandardCharsets.UTF_8);
                int want = replicas.contains("connected_slaves:") ? Integer.parseInt(replicas
                        .substring(replicas.indexOf("connected_slaves:") + 17).split("\\r")[0].trim()) : 0;
                String got = new String(c.call("WAIT", Integer.toString(want), "10000"), StandardCharsets.UTF_8);
                if (Integer.parseInt(got.substring(1).trim()) < want) {
                    throw new IllegalStateException("the replicas of " + port + " did not catch up: " + got);
                }
            }
        }
    }

    private final java.util.Set<Integer> stopped = new java.util.HashSet<>();

    /** Kills the node on {@code port} as a crash would: its replica takes over after the node timeout. */
    public void crash(int port) {
        for (RedisServerProcess n : nodes) {
            if (n.port() == port) {
                n.kill();
                stopped.add(port);
            }
        }
    }

    /**
     * Waits until every running node sees {@code masters} masters serving slots and
     * {@code replicas} replicas, and every replica's link to its master is up (right after
     * {@code --cluster create}, the nodes learn the roles one gossip round at a time).
     */
    private void awaitRoles(int masters, int replicas) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        for (RedisServerProcess n : nodes) {
            while (true) {
                String view = nodes(n.port());
                int m = 0;
                int r = 0;
                for (String line : view.split("\n")) {
                    String[] f = line.split(" ");
                    if (f.length > 8 && f[2].contains("master") && !f[2].contains("fail")) {
                        m++;
                    } else if (f.length > 2 && f[2].contains("slave") && !f[2].contains("fail")) {
                        r++;
                    }
                }
                boolean linked = true;
                if (view.contains("myself,slave")) {
                    try (RawClient c = new RawClient("127.0.0.1", n.port())) {
                        linked = new String(c.call("INFO", "replication"), StandardCharsets.UTF_8)
                                .contains("master_link_status:up");
                    }
                }
                if (m == masters && r == replicas && linked) {
                    break;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the cluster's roles did not settle:\n" + view);
                }
                Thread.sleep(50);
            }
        }
    }

    private static String nodes(int port) throws IOException {
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            return new String(c.call("CLUSTER", "NODES"), StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits until a replica has taken over the slots of the crashed master on {@code port}: as
     * many slot-serving masters as before, none of them that one, and cluster_state:ok on every
     * running node. Returns the new masters' ports.
     */
    public List<Integer> awaitFailover(int port, int masters) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            List<Integer> now = masterPorts();
            if (now.size() == masters && !now.contains(port)) {
                awaitOk();
                return now;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no replica took over from " + port + ":\n" + view());
            }
            Thread.sleep(50);
        }
    }

    /** CLUSTER NODES as the first running node answers it (for a test's failure message). */
    public String view() throws IOException {
        for (RedisServerProcess n : nodes) {
            if (!stopped.contains(n.port())) {
                return nodes(n.port());
            }
        }
        return "no node running";
    }

    /** The ports of the masters serving slots now, as the first running node sees them. */
    public List<Integer> masterPorts() throws IOException {
        for (RedisServerProcess n : nodes) {
            if (stopped.contains(n.port())) {
                continue;
            }
            List<Integer> ports = new ArrayList<>();
            for (String line : nodes(n.port()).split("\n")) {
                String[] f = line.split(" ");
                // id addr flags master ping pong epoch state slot...: a master without slots serves nothing
                if (f.length > 8 && f[2].contains("master") && !f[2].contains("fail")) {
                    String addr = f[1];
                    ports.add(Integer.parseInt(addr.substring(addr.indexOf(':') + 1, addr.indexOf('@'))));
                }
            }
            return ports;
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
