package io.cachalot.spring.boot;

import io.cachalot.provider.config.RemoteSettings;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

/**
 * The remote store's settings for {@code cachalot.mode=remote}: {@code cachalot.remote.*}, with
 * Spring Boot's own Redis connection properties ({@code spring.data.redis.url}, or
 * {@code cluster.nodes}, or {@code host}, {@code port}, {@code database}; {@code username},
 * {@code password}, {@code timeout}) for what
 * {@code cachalot.remote.*} leaves unset.
 */
final class RemoteUri {
    private RemoteUri() {
    }

    static RemoteSettings settings(CachalotProperties.Remote remote, Environment environment) {
        Binder binder = Binder.get(environment);
        String uri = remote.getUri();
        if (uri == null) {
            uri = binder.bind("spring.data.redis.url", String.class).orElse(null);
        }
        if (uri == null) {
            // Boot's cluster nodes: the seed nodes of the cluster client
            java.util.List<String> nodes = binder.bind("spring.data.redis.cluster.nodes",
                    org.springframework.boot.context.properties.bind.Bindable.listOf(String.class)).orElse(java.util.List.of());
            if (!nodes.isEmpty()) {
                String user = binder.bind("spring.data.redis.username", String.class).orElse(null);
                String password = binder.bind("spring.data.redis.password", String.class).orElse(null);
                String auth = password == null ? "" : (user == null ? "" : encode(user)) + ":" + encode(password) + "@";
                StringBuilder sb = new StringBuilder();
                for (String n : nodes) {
                    sb.append(sb.length() == 0 ? "" : ",").append("redis://").append(auth).append(n.trim());
                }
                uri = sb.toString();
            }
        }
        if (uri == null) {
            String host = binder.bind("spring.data.redis.host", String.class).orElse("127.0.0.1");
            int port = binder.bind("spring.data.redis.port", Integer.class).orElse(6379);
            int database = binder.bind("spring.data.redis.database", Integer.class).orElse(0);
            String user = binder.bind("spring.data.redis.username", String.class).orElse(null);
            String password = binder.bind("spring.data.redis.password", String.class).orElse(null);
            String auth = password == null ? "" : (user == null ? "" : encode(user)) + ":" + encode(password) + "@";
            uri = "redis://" + auth + host + ":" + port + "/" + database;
        }
        Duration timeout = remote.getTimeout();
        if (timeout == null) {
            timeout = binder.bind("spring.data.redis.timeout", Duration.class).orElse(Duration.ofSeconds(5));
        }
        Properties p = new Properties();
        p.setProperty("cachalot.remote.uri", uri);
        p.setProperty("cachalot.remote.timeout", Long.toString(timeout.toMillis()));
        p.setProperty("cachalot.remote.lock-lease", Long.toString(remote.getLockLease().toMillis()));
        p.setProperty("cachalot.remote.near-cache-max-entries", Integer.toString(remote.getNearCacheMaxEntries()));
        p.setProperty("cachalot.remote.on-failure", remote.getOnFailure().name().toLowerCase(java.util.Locale.ROOT));
        try {
            return RemoteSettings.of(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
