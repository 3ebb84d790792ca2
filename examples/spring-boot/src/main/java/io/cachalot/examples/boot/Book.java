package io.cachalot.examples.boot;

/** What the service looks up; stored as JSON in the cache (cachalot.codec=json). */
public record Book(String isbn, String title, String author) {
}
