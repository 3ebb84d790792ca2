package io.cachalot.spring;

import org.junit.jupiter.api.Test;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring's caching annotations on a service backed by Cachalot. */
class AnnotationsTest {
    public static class Prices {
        private final AtomicInteger computed = new AtomicInteger();

        /** Through a method: the bean is a class proxy, whose own fields are not the target's. */
        public int computed() {
            return computed.get();
        }

        @Cacheable("prices")
        public Long price(String item) {
            computed.incrementAndGet();
            return (long) item.length() * 100;
        }

        @Cacheable(cacheNames = "prices", sync = true, key = "'sync:' + #p0")
        public Long priceOnce(String item) {
            computed.incrementAndGet();
            return 7L;
        }

        @CachePut(cacheNames = "prices", key = "#p0")
        public Long reprice(String item, long value) {
            return value;
        }

        @CacheEvict(cacheNames = "prices", key = "#p0")
        public void forget(String item) {
        }

        @Caching(evict = {@CacheEvict(cacheNames = "prices", allEntries = true)})
        public void forgetAll() {
        }
    }

    /** JSR-107's annotations, interpreted by Spring on the same (native) cache manager. */
    public static class Rates {
        private final AtomicInteger computed = new AtomicInteger();

        @javax.cache.annotation.CacheResult(cacheName = "rates")
        public Double rate(String currency) {
            computed.incrementAndGet();
            return 1.5;
        }

        @javax.cache.annotation.CacheRemove(cacheName = "rates")
        public void drop(String currency) {
        }

        public int computed() {
            return computed.get();
        }
    }

    @Configuration
    @EnableCaching
    static class Config {
        @Bean
        Rates rates() {
            return new Rates();
        }

        @Bean(destroyMethod = "close")
        CacheManager cacheManager() {
            return CachalotSpringCacheManager.builder().build();
        }

        @Bean
        Prices prices() {
            return new Prices();
        }
    }

    @Test
    void annotationsCacheThroughCachalot() {
        try (AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext(Config.class)) {
            Prices p = ctx.getBean(Prices.class);
            assertThat(p.price("tea")).isEqualTo(300L);
            assertThat(p.price("tea")).isEqualTo(300L);
            assertThat(p.computed()).isEqualTo(1);
            p.reprice("tea", 250);
            assertThat(p.price("tea")).isEqualTo(250L);
            p.forget("tea");
            assertThat(p.price("tea")).isEqualTo(300L);
            assertThat(p.computed()).isEqualTo(2);
            assertThat(p.priceOnce("x")).isEqualTo(7L);
            assertThat(p.priceOnce("x")).isEqualTo(7L);
            assertThat(p.computed()).isEqualTo(3);
            p.forgetAll();
            p.price("tea");
            assertThat(p.computed()).isEqualTo(4);

            Rates r = ctx.getBean(Rates.class);
            assertThat(r.rate("EUR")).isEqualTo(1.5);
            assertThat(r.rate("EUR")).isEqualTo(1.5);
            assertThat(r.computed()).isEqualTo(1);
            r.drop("EUR");
            r.rate("EUR");
            assertThat(r.computed()).isEqualTo(2);
            assertThat(ctx.getBean(CacheManager.class).getCacheNames()).contains("rates", "prices");
        }
    }
}
