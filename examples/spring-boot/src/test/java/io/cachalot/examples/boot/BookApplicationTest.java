package io.cachalot.examples.boot;

import io.cachalot.spring.CachalotSpringCacheManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The README example runs: Boot picks Cachalot, the service's results are cached. */
class BookApplicationTest {
    @Test
    void booksAreCachedByCachalot() {
        try (ConfigurableApplicationContext ctx = SpringApplication.run(BookApplication.class)) {
            assertThat(ctx.getBean(CacheManager.class)).isInstanceOf(CachalotSpringCacheManager.class);
            BookService books = ctx.getBean(BookService.class);
            assertThat(books.title("978-0441013593")).isEqualTo("Title of 978-0441013593");
            assertThat(books.title("978-0441013593")).isEqualTo("Title of 978-0441013593");
            assertThat(books.lookups()).isEqualTo(1);
            books.forget("978-0441013593");
            books.title("978-0441013593");
            assertThat(books.lookups()).isEqualTo(2);
        }
    }

    /** The README shows these very files (every line of each appears there). */
    @Test
    void readmeShowsTheseFiles() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../../README.md"));
        for (String file : new String[] {
                "src/main/java/io/cachalot/examples/boot/BookApplication.java",
                "src/main/java/io/cachalot/examples/boot/BookService.java",
                "src/main/resources/application.properties"}) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(file))) {
                assertThat(readme).as("%s in the README", file).contains(line);
            }
        }
    }
}
