package io.cachalot.examples.boot;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GET /books/{isbn}: the book, whether the cache had it ("hit") or the service was called
 * ("miss"), and how long it took; DELETE /books/{isbn}: evicts it.
 */
@RestController
public class BookController {
    private final BookService books;

    public BookController(BookService books) {
        this.books = books;
    }

    @GetMapping("/books/{isbn}")
    public Map<String, Object> book(@PathVariable("isbn") String isbn) {
        int before = books.lookups();
        long start = System.nanoTime();
        Book book = books.find(isbn);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("book", book);
        out.put("cache", books.lookups() > before ? "miss" : "hit");
        out.put("millis", (System.nanoTime() - start) / 1_000_000);
        out.put("serviceCalls", books.lookups());
        return out;
    }

    @DeleteMapping("/books/{isbn}")
    public Map<String, Object> forget(@PathVariable("isbn") String isbn) {
        books.forget(isbn);
        return Map.of("evicted", isbn);
    }
}
