package io.cachalot.spring.boot;

import io.cachalot.core.spi.EngineServer;
import io.cachalot.spring.CachalotSpringCache;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.Jedis;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cachalot.codec=json under Boot: redis-cli reads JSON; @Cacheable results come back as their classes. */
class BootJsonValuesTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CachalotCacheAutoConfiguration.class,
                    CacheAutoConfiguration.class, JacksonAutoConfiguration.class))
            .withUserConfiguration(Library.class)
            .withPropertyValues("cachalot.codec=json", "spring.cache.cache-names=books");

    public record Book(String isbn, String title, LocalDate published, int pageCount, List<String> tags) {
    }

    public static class Catalog {
        private final AtomicInteger lookups = new AtomicInteger();

        public int lookups() {
            return lookups.get();
        }

        @Cacheable("books")
        public Book book(String isbn) {
            lookups.incrementAndGet();
            return isbn.equals("missing") ? null
                    : new Book(isbn, "Dune", LocalDate.of(1965, 8, 1), 412, List.of("sf", "classic"));
        }

        @Cacheable("books")
        public List<Book> shelf(int n) {
            lookups.incrementAndGet();
            return List.of(book("a" + n), book("b" + n));
        }

        @Cacheable("books")
        public AtomicLong counter(long n) {
            return new AtomicLong(n);
        }
    }

    /** The application's own package (as @SpringBootApplication declares it) is trusted by default. */
    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    @AutoConfigurationPackage
    static class Library {
        @Bean
        Catalog catalog() {
            return new Catalog();
        }
    }

    @Test
    void valuesAreJsonForRespClientsAndReadBackAsTheirClasses() {
        runner.withPropertyValues("cachalot.resp.port=0").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            Catalog catalog = ctx.getBean(Catalog.class);
            Book dune = catalog.book("978-0441013593");
            assertThat(catalog.book("978-0441013593")).isEqualTo(dune).isNotSameAs(dune);
            assertThat(catalog.book("missing")).isNull();
            assertThat(catalog.book("missing")).isNull();
            assertThat(catalog.lookups()).isEqualTo(2); // the null result was cached too
            List<Book> shelf = catalog.shelf(1);
            assertThat(catalog.shelf(1)).isEqualTo(shelf).allSatisfy(b -> assertThat(b).isInstanceOf(Book.class));

            int port = ctx.getBean(EngineServer.Serving.class).port();
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertThat(jedis.get("books::978-0441013593")).isEqualTo("{\"@class\":\"" + Book.class.getName()
                        + "\",\"isbn\":\"978-0441013593\",\"title\":\"Dune\",\"published\":\"1965-08-01\","
                        + "\"pageCount\":412,\"tags\":[\"java.util.ImmutableCollections$List12\",[\"sf\",\"classic\"]]}");
                assertThat(jedis.get("books::missing")).isEqualTo("null");
                assertThat(jedis.get("books::1")).startsWith("[\"java.util.ImmutableCollections$List12\",[{\"@class\":");
            }
        });
    }

    /** The application's ObjectMapper (its modules and settings) writes the values when there is one. */
    @Test
    void theApplicationsObjectMapperIsUsed() {
        runner.withBean(ObjectMapper.class, () -> new ObjectMapper().findAndRegisterModules()
                        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE))
                .run(ctx -> {
                    Catalog catalog = ctx.getBean(Catalog.class);
                    Book dune = catalog.book("1");
                    assertThat(catalog.book("1")).isEqualTo(dune);
                    var client = new io.cachalot.core.api.EmbeddedClient(
                            ctx.getBean(io.cachalot.spring.CachalotSpringCacheManager.class).engine());
                    assertThat(new String((byte[]) client.call("GET", "books::1"))).contains("\"page_count\":412");
                });
    }

    @Test
    void untrustedClassesAreRefusedAndMoreCanBeTrusted() {
        runner.run(ctx -> assertThatThrownBy(() -> ctx.getBean(Catalog.class).counter(1))
                .hasMessageContaining("java.util.concurrent.atomic.AtomicLong")
                .hasMessageContaining("cachalot.json.trusted-packages"));
        runner.withPropertyValues("cachalot.json.trusted-packages=java.util.concurrent.atomic").run(ctx -> {
            Catalog catalog = ctx.getBean(Catalog.class);
            assertThat(catalog.counter(7).get()).isEqualTo(7);
            CachalotSpringCache books = (CachalotSpringCache) ctx.getBean(CacheManager.class).getCache("books");
            assertThat(books.get(7L).get()).isInstanceOf(AtomicLong.class);
        });
        runner.withPropertyValues("cachalot.json.trusted-packages=*").run(ctx -> assertThat(ctx.getStartupFailure())
                .rootCause().hasMessageContaining("cannot trust '*'"));
    }

    @Test
    void withoutJacksonJsonFailsTheStartAndTheDefaultStillWorks() {
        ApplicationContextRunner noJackson = runner.withClassLoader(new FilteredClassLoader("com.fasterxml.jackson"));
        noJackson.run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause()
                    .hasMessageContaining("cachalot.codec=json needs Jackson on the classpath");
        });
        noJackson.withPropertyValues("cachalot.codec=java").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            Catalog catalog = ctx.getBean(Catalog.class);
            assertThat(catalog.counter(3).get()).isEqualTo(3); // Java-serialized
        });
    }
}
