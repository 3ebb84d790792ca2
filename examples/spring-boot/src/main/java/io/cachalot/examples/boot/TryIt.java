package io.cachalot.examples.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Once started, prints what to try (with the ports actually in use). */
@Component
class TryIt {
    private static final Logger LOG = LoggerFactory.getLogger(TryIt.class);

    @EventListener
    public void ready(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        String base = "http://localhost:" + web.getWebServer().getPort();
        Environment env = event.getApplicationContext().getEnvironment();
        String ttl = env.getProperty("cachalot.caches.books.time-to-live", "10m");
        String resp = env.getProperty("cachalot.resp.port");
        LOG.info("""

                Try it (entries live {}):
                  curl {}/books/978-0441013593            # first time: "cache":"miss", ~200 ms
                  curl {}/books/978-0441013593            # again: "cache":"hit", no service call
                  (wait {}, then again: a miss, the entry expired)
                  curl -X DELETE {}/books/978-0441013593  # evict it
                  curl '{}/actuator/metrics/cache.gets?tag=result:hit'
                  curl '{}/actuator/metrics/cache.gets?tag=result:miss'
                  curl {}/actuator/health                  # "cachalot": engine keys, memory
                  redis-cli -p {} GET books::978-0441013593  # the entry, as JSON
                """, ttl, base, base, ttl, base, base, base, base, resp);
    }
}
