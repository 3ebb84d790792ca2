package io.cachalot.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A reply that runs out of memory: an error when nothing of it was written, else given up. */
class RespWriterTest {
    private final List<ByteBuf> emitted = new ArrayList<>();
    private final RespWriter w = new RespWriter(ByteBufAllocator.DEFAULT, emitted::add);

    private String output() {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b : emitted) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        emitted.clear();
        ByteBuf rest = w.take();
        if (rest != null) {
            sb.append(rest.toString(StandardCharsets.ISO_8859_1));
            rest.release();
        }
        return sb.toString();
    }

    @Test
    void outOfMemoryBeforeAnyOfTheReplyIsAnError() {
        w.ok();
        w.beginCommand();
        w.outOfMemory("OOM no room");
        assertThat(w.broken()).isFalse();
        assertThat(output()).isEqualTo("+OK\r\n-OOM no room\r\n");
    }

    @Test
    void outOfMemoryAfterPartOfTheReplyBreaksTheWriter() {
        w.ok();
        w.beginCommand();
        w.array(2);
        w.outOfMemory("OOM no room");
        assertThat(w.broken()).isTrue();
        w.setDiscard(false);
        w.bulk("more");
        assertThat(output()).isEqualTo("+OK\r\n*2\r\n");
    }

    @Test
    void aLargeBulkHandedOnCountsAsWritten() {
        w.beginCommand();
        w.bulk(new byte[RespWriter.WRAP_THRESHOLD]);
        w.take().release();
        w.outOfMemory("OOM no room");
        assertThat(w.broken()).isTrue();
        output();
    }
}
