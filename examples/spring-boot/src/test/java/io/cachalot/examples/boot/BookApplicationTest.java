package io.cachalot.examples.boot;

import io.cachalot.core.api.EmbeddedClient;
import io.cachalot.spring.CachalotSpringCacheManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example as a reader runs it (free ports, a short time-to-live): misses, hits, expiry,
 * eviction, the metrics and health endpoints, and the JSON a RESP client reads.
 */
class BookApplicationTest {
    private static ConfigurableApplicationContext ctx;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        ctx = SpringApplication.run(BookApplication.class, "--server.port=0", "--cachalot.resp.port=0",
                "--cachalot.caches.books.time-to-live=1s");
        base = "http://localhost:" + ((WebServerApplicationContext) ctx).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private static double metric(String query) throws Exception {
        String body = get("/actuator/metrics/cache.gets?tag=cache:books&tag=" + query);
        String v = body.replaceAll("(?s).*\"statistic\":\"COUNT\",\"value\":([0-9.]+).*", "$1");
        return Double.parseDouble(v);
    }

    @Test
    void missThenHitThenExpiryWithMetricsHealthAndJson() throws Exception {
        assertThat(ctx.getBean(CacheManager.class)).isInstanceOf(CachalotSpringCacheManager.class);
        double hits = metric("result:hit");
        double misses = metric("result:miss");

        assertThat(get("/books/978-0441013593")).contains("\"cache\":\"miss\"")
                .contains("\"title\":\"Title of 978-0441013593\"");
        assertThat(get("/books/978-0441013593")).contains("\"cache\":\"hit\"");
        assertThat(metric("result:hit")).isEqualTo(hits + 1);
        assertThat(metric("result:miss")).isEqualTo(misses + 1);

        // the value as a RESP client (redis-cli GET books::978-0441013593) reads it
        EmbeddedClient engine = new EmbeddedClient(ctx.getBean(CachalotSpringCacheManager.class).engine());
        assertThat(new String((byte[]) engine.call("GET", "books::978-0441013593"), StandardCharsets.UTF_8))
                .isEqualTo("{\"@class\":\"io.cachalot.examples.boot.Book\",\"isbn\":\"978-0441013593\","
                        + "\"title\":\"Title of 978-0441013593\",\"author\":\"Author of 978-0441013593\"}");

        Thread.sleep(1300); // past the time-to-live
        assertThat(get("/books/978-0441013593")).contains("\"cache\":\"miss\"");

        HTTP.send(HttpRequest.newBuilder(URI.create(base + "/books/978-0441013593")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get("/books/978-0441013593")).contains("\"cache\":\"miss\"");

        String health = get("/actuator/health");
        assertThat(health).contains("\"cachalot\":{\"status\":\"UP\"").contains("\"maxmemoryPolicy\":\"allkeys-lru\"");
        assertThat(get("/actuator/metrics/cachalot.memory.used")).contains("\"baseUnit\":\"bytes\"");
    }

    /** The README shows these very files (every line of each appears there). */
    @Test
    void readmeShowsTheseFiles() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        for (String file : new String[] {
                "src/main/java/io/cachalot/examples/boot/BookApplication.java",
                "src/main/java/io/cachalot/examples/boot/Book.java",
                "src/main/java/io/cachalot/examples/boot/BookService.java",
                "src/main/resources/application.properties"}) {
            for (String line : Files.readAllLines(Path.of(file))) {
                assertThat(readme).as("%s in the README", file).contains(line);
            }
        }
    }

    /** examples/spring-boot/README.md gives the command that runs the example from a fresh clone. */
    @Test
    void readmeGivesTheCommand() throws Exception {
        assertThat(Files.readString(Path.of("README.md")))
                .contains("mvn -q -B -DskipTests -pl examples/spring-boot -am package")
                .contains("java -jar examples/spring-boot/target/cachalot-example-spring-boot.jar");
    }
}
