package io.cachalot.provider.codec;

import org.junit.jupiter.api.Test;

import javax.cache.CacheException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON values: what they look like, that they read back as their classes, and what is refused. */
class JsonCodecTest {
    public record Author(String name, int born) {
    }

    public record Book(String isbn, String title, List<Author> authors, Map<String, Object> extra) {
    }

    /** A mutable bean (non-final, so its class is named wherever it appears). */
    public static class Shelf {
        private String label;
        private List<Object> items = new ArrayList<>();

        public String getLabel() {
            return label;
        }

        public void setLabel(String label) {
            this.label = label;
        }

        public List<Object> getItems() {
            return items;
        }

        public void setItems(List<Object> items) {
            this.items = items;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shelf && Objects.equals(label, ((Shelf) o).label) && items.equals(((Shelf) o).items);
        }

        @Override
        public int hashCode() {
            return Objects.hash(label, items);
        }
    }

    /** Not in a trusted package of the codecs below. */
    public static final class Secret {
        public String value = "x";
    }

    private static final String HERE = JsonCodecTest.class.getName();

    private static JsonCodec<Object> anyValue() {
        return JsonCodec.builder(Object.class).trust(HERE + "$Author", HERE + "$Book", HERE + "$Shelf").build();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Book dune() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("pages", 412);
        extra.put("price", new BigDecimal("9.99"));
        extra.put("tags", List.of("sf", "classic"));
        return new Book("978-0441013593", "Dune", List.of(new Author("Frank Herbert", 1920)), extra);
    }

    @Test
    void aRecordIsPlainJsonWithItsClassAndReadsBackEqual() {
        JsonCodec<Object> codec = anyValue();
        Book dune = dune();
        byte[] json = codec.encode(dune);
        assertThat(text(json)).isEqualTo("{\"@class\":\"" + HERE + "$Book\",\"isbn\":\"978-0441013593\","
                + "\"title\":\"Dune\",\"authors\":[\"java.util.ImmutableCollections$List12\","
                + "[{\"name\":\"Frank Herbert\",\"born\":1920}]],\"extra\":{\"@class\":\"java.util.LinkedHashMap\","
                + "\"pages\":412,\"price\":[\"java.math.BigDecimal\",9.99],"
                + "\"tags\":[\"java.util.ImmutableCollections$List12\",[\"sf\",\"classic\"]]}}");
        Object back = codec.decode(json);
        assertThat(back).isEqualTo(dune).isNotSameAs(dune);
        assertThat(((Book) back).extra().get("price")).isInstanceOf(BigDecimal.class);
    }

    @Test
    void collectionsAndScalarsKeepTheirClasses() {
        JsonCodec<Object> codec = anyValue();
        Shelf shelf = new Shelf();
        shelf.setLabel("sf");
        shelf.setItems(new ArrayList<>(List.of(dune(), 7L, 3, "x", UUID.fromString("0-0-0-0-1"))));
        List<Object> values = Arrays.asList(
                "text", 42, 42L, 2.5, true, new BigDecimal("1.10"),
                new ArrayList<>(List.of(new Author("A", 1), new Author("B", 2))),
                new HashSet<>(Set.of(1, 2)),
                new TreeMap<>(Map.of("b", new Author("B", 2), "a", new Author("A", 1))),
                shelf, new int[] {1, 2}, new Author[] {new Author("C", 3)});
        for (Object v : values) {
            Object back = codec.decode(codec.encode(v));
            if (v.getClass().isArray()) {
                assertThat(back).as("%s", v.getClass()).isInstanceOf(v.getClass());
                assertThat(Arrays.deepEquals(new Object[] {v}, new Object[] {back})).isTrue();
            } else {
                assertThat(back).as(v.getClass().getName()).isEqualTo(v).hasSameClassAs(v);
            }
        }
        // the JDK's immutable collections read back equal, as their modifiable counterparts
        for (Object v : List.of(List.of(1L, 2L), Set.of("a"), Map.of("k", List.of()),
                java.util.Collections.unmodifiableList(new ArrayList<>(List.of(1))), Arrays.asList(1, 2))) {
            assertThat(codec.decode(codec.encode(v))).as(v.getClass().getName()).isEqualTo(v);
        }
        assertThat(text(codec.encode(42L))).isEqualTo("[\"java.lang.Long\",42]");
        assertThat(text(codec.encode("text"))).isEqualTo("\"text\"");
        Shelf back = (Shelf) codec.decode(codec.encode(shelf));
        assertThat(back.getItems().get(1)).isEqualTo(7L); // a Long stays a Long inside a List<Object>
        assertThat(back.getItems().get(0)).isInstanceOf(Book.class);
    }

    @Test
    void aDeclaredTypeNeedsNoClassAtTheRootAndIsTrusted() {
        JsonCodec<Author> codec = JsonCodec.builder(Author.class).build();
        byte[] json = codec.encode(new Author("Ursula K. Le Guin", 1929));
        assertThat(text(json)).isEqualTo("{\"name\":\"Ursula K. Le Guin\",\"born\":1929}");
        assertThat(codec.decode(json)).isEqualTo(new Author("Ursula K. Le Guin", 1929));
        assertThat(codec.decode("{\"name\":\"written by redis-cli\",\"born\":1}".getBytes()).name())
                .isEqualTo("written by redis-cli");
    }

    @Test
    void nullIsJsonNullOrTheGivenNullObject() {
        Object marker = new Object();
        JsonCodec<Object> codec = JsonCodec.builder(Object.class).nullValue(marker).build();
        assertThat(text(codec.encode(marker))).isEqualTo("null");
        assertThat(codec.decode("null".getBytes())).isSameAs(marker);
        JsonCodec<Object> plain = JsonCodec.builder(Object.class).build();
        assertThat(text(plain.encode(null))).isEqualTo("null");
        assertThat(plain.decode("null".getBytes())).isNull();
    }

    @Test
    void anUntrustedClassIsRefusedWhenWritten() {
        JsonCodec<Object> codec = anyValue();
        assertThatThrownBy(() -> codec.encode(new Secret()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot store a " + HERE + "$Secret as JSON")
                .hasMessageContaining("cachalot.json.trusted-packages");
        List<Object> nested = new ArrayList<>(List.of("ok", new Secret()));
        assertThatThrownBy(() -> codec.encode(nested)).hasMessageContaining("$Secret");
        assertThatThrownBy(() -> codec.encode(new java.util.concurrent.ConcurrentHashMap<>(Map.of("a", 1))))
                .hasMessageContaining("java.util.concurrent.ConcurrentHashMap");
    }

    /** JSON written over RESP cannot make the application build a class it did not trust. */
    @Test
    void anUntrustedClassInStoredJsonIsNeverInstantiated() {
        JsonCodec<Object> codec = anyValue();
        for (String hostile : new String[] {
                "[\"java.lang.ProcessBuilder\",[\"touch\",\"/tmp/pwned\"]]",
                "{\"@class\":\"" + HERE + "$Secret\",\"value\":\"y\"}",
                "{\"@class\":\"javax.swing.JEditorPane\",\"page\":\"http://127.0.0.1:1/\"}",
                "[\"java.util.ArrayList\",[[\"java.net.URL\",\"http://127.0.0.1:1/\"]]]"}) {
            assertThatThrownBy(() -> codec.decode(hostile.getBytes()))
                    .as(hostile).isInstanceOf(CacheException.class).hasMessageContaining("not trusted");
        }
        assertThatThrownBy(() -> codec.decode("{not json".getBytes())).isInstanceOf(CacheException.class)
                .hasMessageContaining("cannot read a cached value as JSON");
    }

    @Test
    void trustIsByPackageOrClassNeverEverything() {
        JsonCodec<Object> byPackage = JsonCodec.builder(Object.class).trust("io.cachalot.provider").build();
        assertThat(byPackage.decode(byPackage.encode(new Secret()))).isInstanceOf(Secret.class);
        assertThat(byPackage.isTrusted("io.cachalot.providerx.Evil")).isFalse();
        assertThat(byPackage.isTrusted("[Lio.cachalot.provider.X;")).isTrue();
        assertThat(byPackage.isTrusted("[[I")).isTrue();
        for (String tooWide : new String[] {"*", "", "java", "java.*"}) {
            assertThatThrownBy(() -> JsonCodec.builder(Object.class).trust(tooWide))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
