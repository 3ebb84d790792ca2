package io.cachalot.examples.boot;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

import java.util.concurrent.atomic.AtomicInteger;

@Service
public class BookService {
    private final AtomicInteger lookups = new AtomicInteger();

    @Cacheable("books")
    public Book find(String isbn) {
        lookups.incrementAndGet();          // the slow call the cache saves
        sleep(200);
        return new Book(isbn, "Title of " + isbn, "Author of " + isbn);
    }

    @CacheEvict("books")
    public void forget(String isbn) {
    }

    public int lookups() {
        return lookups.get();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
