package io.cachalot.provider;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cachalot.codec=json: JCache values a RESP client reads as JSON, and that read back as their classes. */
class JsonValuesTest {
    public record Book(String isbn, String title, List<String> authors) implements java.io.Serializable {
    }

    /** Not trusted by the managers below: neither declared nor in a trusted package. */
    public static final class Stranger {
        public int n = 1;
    }

    private static Properties json(String... more) {
        Properties p = new Properties();
        p.setProperty("cachalot.codec", "json");
        p.setProperty("cachalot.resp.port", "0");
        for (int i = 0; i < more.length; i += 2) {
            p.setProperty(more[i], more[i + 1]);
        }
        return p;
    }

    @Test
    void aRespClientSeesJsonAndTheCacheReadsTheClassesBack() {
        try (CachalotCacheManager m = Caches.manager(json("cachalot.json.trusted-packages", "io.cachalot.provider"))) {
            Cache<String, Object> any = m.createCache("any",
                    new MutableConfiguration<String, Object>().setTypes(String.class, Object.class));
            Cache<Long, Book> books = m.createCache("books",
                    new MutableConfiguration<Long, Book>().setTypes(Long.class, Book.class));
            Cache<String, String> names = m.createCache("names",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            Book dune = new Book("978-0441013593", "Dune", List.of("Frank Herbert"));
            any.put("dune", dune);
            any.put("list", new ArrayList<>(List.of(dune, 7L)));
            books.put(1L, dune);
            names.put("a", "Ada");
            try (Jedis jedis = new Jedis("127.0.0.1", m.respPort())) {
                assertThat(jedis.get("any::dune")).isEqualTo("{\"@class\":\"io.cachalot.provider.JsonValuesTest$Book\","
                        + "\"isbn\":\"978-0441013593\",\"title\":\"Dune\","
                        + "\"authors\":[\"java.util.ImmutableCollections$List12\",[\"Frank Herbert\"]]}");
                assertThat(jedis.get("any::list")).startsWith("[\"java.util.ArrayList\",[{\"@class\":")
                        .endsWith(",[\"java.lang.Long\",7]]]");
                // a declared type names no class at the root
                assertThat(jedis.get("books::1")).isEqualTo("{\"isbn\":\"978-0441013593\",\"title\":\"Dune\","
                        + "\"authors\":[\"java.util.ImmutableCollections$List12\",[\"Frank Herbert\"]]}");
                assertThat(jedis.get("names::a")).isEqualTo("Ada"); // readable text types stay as they were
                jedis.set("books::2", "{\"isbn\":\"1\",\"title\":\"From redis-cli\",\"authors\":[\"java.util.ArrayList\",[]]}");
            }
            assertThat(any.get("dune")).isEqualTo(dune).isNotSameAs(dune);
            assertThat(any.get("list")).isEqualTo(List.of(dune, 7L));
            assertThat(books.get(1L)).isEqualTo(dune);
            assertThat(books.get(2L).title()).isEqualTo("From redis-cli");
            String title = books.invoke(1L, (e, args) -> e.getValue().title());
            assertThat(title).isEqualTo("Dune");
        }
    }

    @Test
    void untrustedClassesAreRefusedWithAMessage() {
        try (CachalotCacheManager m = Caches.manager(json())) {
            Cache<String, Object> any = m.createCache("any",
                    new MutableConfiguration<String, Object>().setTypes(String.class, Object.class));
            assertThatThrownBy(() -> any.put("s", new Stranger()))
                    .hasMessageContaining("JsonValuesTest$Stranger")
                    .hasMessageContaining("cachalot.json.trusted-packages");
            any.put("m", Map.of("k", "v")); // JDK value types are trusted
            assertThat(any.get("m")).isEqualTo(Map.of("k", "v"));
            try (Jedis jedis = new Jedis("127.0.0.1", m.respPort())) {
                jedis.set("any::evil", "[\"java.lang.ProcessBuilder\",[\"true\"]]");
            }
            assertThatThrownBy(() -> any.get("evil")).isInstanceOf(CacheException.class)
                    .hasMessageContaining("java.lang.ProcessBuilder, which is not trusted");
        }
    }

    @Test
    void withoutTheSettingValuesAreJavaSerialized() {
        try (CachalotCacheManager m = Caches.manager()) {
            Cache<String, Object> any = m.createCache("any",
                    new MutableConfiguration<String, Object>().setTypes(String.class, Object.class));
            any.put("b", new Book("1", "t", List.of()));
            byte[] raw = (byte[]) new io.cachalot.core.api.EmbeddedClient(m.engine()).call("GET", "any::b");
            assertThat(raw[0] & 0xFF).isEqualTo(0xAC); // the Java serialization stream magic
            assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotStartWith("{");
        }
    }
}
