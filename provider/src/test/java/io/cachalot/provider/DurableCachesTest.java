package io.cachalot.provider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedded engine with save points is durable: closing the manager saves its RDB file, and a
 * manager started later with the same settings finds the cache entries again. Store-by-value
 * entries are persisted; a store-by-reference cache's objects are not (they have no serialized form).
 */
class DurableCachesTest {
    @TempDir
    Path dir;

    private Properties durable() {
        Properties p = new Properties();
        p.setProperty("cachalot.engine.save", "3600 1");
        p.setProperty("cachalot.engine.dir", dir.toString());
        return p;
    }

    @Test
    void entriesOutliveTheManager() {
        try (CachalotCacheManager m = Caches.manager(durable())) {
            Cache<String, String> books = m.createCache("books", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class));
            books.put("978-0441013593", "Dune");
            books.put("978-0553283686", "Hyperion");
            Cache<Long, String> refs = m.createCache("refs", new MutableConfiguration<Long, String>()
                    .setTypes(Long.class, String.class).setStoreByValue(false));
            refs.put(1L, "not persisted");
        }
        assertThat(dir.resolve("dump.rdb")).exists();
        try (CachalotCacheManager m = Caches.manager(durable())) {
            Cache<String, String> books = m.createCache("books", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class));
            assertThat(books.get("978-0441013593")).isEqualTo("Dune");
            assertThat(books.get("978-0553283686")).isEqualTo("Hyperion");
            Cache<Long, String> refs = m.createCache("refs", new MutableConfiguration<Long, String>()
                    .setTypes(Long.class, String.class).setStoreByValue(false));
            assertThat(refs.get(1L)).isNull();
        }
    }

    /**
     * With appendonly yes every cache write is in the AOF when the call returns: a copy of the
     * directory taken while the first manager still runs (as after a crash) holds the entries,
     * expiry and removals included.
     */
    @Test
    void withAppendonlyEachWriteIsInTheFileWhenTheCallReturns() throws Exception {
        Properties p = new Properties();
        p.setProperty("cachalot.engine.appendonly", "yes");
        p.setProperty("cachalot.engine.dir", dir.resolve("live").toString());
        Path copy = dir.resolve("copy");
        java.nio.file.Files.createDirectories(dir.resolve("live"));
        try (CachalotCacheManager m = Caches.manager(p)) {
            Cache<String, String> books = m.createCache("books", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class).setExpiryPolicyFactory(
                            javax.cache.expiry.CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_HOUR)));
            books.put("978-0441013593", "Dune");
            books.put("978-0553283686", "Hyperion");
            books.put("gone", "soon");
            books.remove("gone");
            java.nio.file.Files.createDirectories(copy.resolve("appendonlydir"));
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("live").resolve("appendonlydir"))) {
                for (Path f : files.toList()) {
                    java.nio.file.Files.copy(f, copy.resolve("appendonlydir").resolve(f.getFileName()));
                }
            }
        }
        p.setProperty("cachalot.engine.dir", copy.toString());
        try (CachalotCacheManager m = Caches.manager(p)) {
            Cache<String, String> books = m.createCache("books", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class).setExpiryPolicyFactory(
                            javax.cache.expiry.CreatedExpiryPolicy.factoryOf(javax.cache.expiry.Duration.ONE_HOUR)));
            assertThat(books.get("978-0441013593")).isEqualTo("Dune");
            assertThat(books.get("978-0553283686")).isEqualTo("Hyperion");
            assertThat(books.containsKey("gone")).isFalse();
        }
    }

    @Test
    void withoutSavePointsNothingIsWritten() {
        Properties p = new Properties();
        p.setProperty("cachalot.engine.dir", dir.toString());
        try (CachalotCacheManager m = Caches.manager(p)) {
            m.createCache("c", new MutableConfiguration<String, String>().setTypes(String.class, String.class))
                    .put("k", "v");
        }
        assertThat(dir.resolve("dump.rdb")).doesNotExist();
    }
}
