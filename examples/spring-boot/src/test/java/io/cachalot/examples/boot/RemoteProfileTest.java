package io.cachalot.examples.boot;

import io.cachalot.spring.CachalotSpringCacheManager;
import io.cachalot.testsupport.RawClient;
import io.cachalot.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example's "remote" profile: two instances of the application share their cache on one
 * redis-server, configured by Boot's spring.data.redis.* only.
 */
class RemoteProfileTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext instance(int redisPort) {
        return SpringApplication.run(BookApplication.class, "--spring.profiles.active=remote", "--server.port=0",
                "--spring.data.redis.port=" + redisPort);
    }

    private static String get(ConfigurableApplicationContext ctx, String path) throws Exception {
        String base = "http://localhost:" + ((WebServerApplicationContext) ctx).getWebServer().getPort();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void twoInstancesShareTheirCacheOnOneServer() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             ConfigurableApplicationContext one = instance(redis.port());
             ConfigurableApplicationContext two = instance(redis.port());
             RawClient cli = new RawClient("127.0.0.1", redis.port())) {
            assertThat(((CachalotSpringCacheManager) one.getBean(CacheManager.class)).isRemote()).isTrue();
            assertThat(get(one, "/books/978-0441013593")).contains("\"cache\":\"miss\"");
            // the other instance finds what the first one loaded
            assertThat(get(two, "/books/978-0441013593")).contains("\"cache\":\"hit\"");
            assertThat(new String(cli.call("GET", "books::978-0441013593"), StandardCharsets.UTF_8))
                    .contains("Title of 978-0441013593");
            assertThat(get(one, "/actuator/health")).contains("\"mode\":\"remote\"");
        }
    }
}
