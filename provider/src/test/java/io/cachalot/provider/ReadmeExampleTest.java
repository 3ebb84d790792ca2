package io.cachalot.provider;

import org.junit.jupiter.api.Test;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.spi.CachingProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's JCache example, kept here verbatim so that it keeps compiling and running. */
class ReadmeExampleTest {
    @Test
    void readmeExampleRunsAsWritten() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            // --- README: JCache example, from here
            CachingProvider provider = Caching.getCachingProvider("io.cachalot.provider.CachalotCachingProvider");
            Properties settings = new Properties();
            settings.setProperty("cachalot.cache.users.max-entries", "100000");   // bounded, LRU by default
            try (CacheManager manager = provider.getCacheManager(provider.getDefaultURI(),
                    provider.getDefaultClassLoader(), settings)) {
                MutableConfiguration<Long, String> config = new MutableConfiguration<Long, String>()
                        .setTypes(Long.class, String.class)
                        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR))
                        .setStatisticsEnabled(true);
                Cache<Long, String> users = manager.createCache("users", config);
                users.put(42L, "Ada");
                users.invoke(42L, (entry, args) -> {
                    entry.setValue(entry.getValue() + " Lovelace");
                    return null;
                });
                System.out.println(users.get(42L));   // Ada Lovelace
            }
            // --- to here
        } finally {
            System.setOut(stdout);
        }
        assertThat(out.toString().trim()).isEqualTo("Ada Lovelace");
    }

    /** Every line of the README's example appears in the test above, so the two cannot drift apart. */
    @Test
    void readmeShowsThisCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java", readme.indexOf("## JCache"));
        String snippet = readme.substring(start + 7, readme.indexOf("```", start + 7));
        String source = Files.readString(Path.of("src/test/java/io/cachalot/provider/ReadmeExampleTest.java"));
        for (String line : snippet.strip().split("\n")) {
            assertThat(source).as("README line in the test").contains(line.strip());
        }
    }
}
