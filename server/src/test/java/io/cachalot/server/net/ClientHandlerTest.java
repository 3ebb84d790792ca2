package io.cachalot.server.net;

import io.cachalot.core.Engine;
import io.cachalot.server.log.Fatal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One connection on an embedded channel: the order and shape of its output, and how it fails. */
class ClientHandlerTest {
    private Engine engine;
    private EmbeddedChannel channel;
    private final List<Throwable> fatal = new ArrayList<>();

    @BeforeEach
    void open() {
        engine = new Engine();
        channel = new EmbeddedChannel(new ClientHandler(engine));
        Fatal.setAction(fatal::add);
    }

    @AfterEach
    void close() {
        Fatal.setAction(null);
        channel.finishAndReleaseAll();
        engine.close();
    }

    private void send(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    }

    /** Every buffer written so far, in order. */
    private List<ByteBuf> written() {
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            out.add(b);
        }
        return out;
    }

    private static byte[] concat(List<ByteBuf> bufs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (ByteBuf b : bufs) {
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            o.writeBytes(a);
            b.release();
        }
        return o.toByteArray();
    }

    @Test
    void largeValuesGoOutInDirectChunksAndInOrder() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            big.append((char) ('a' + i % 26));
        }
        send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + big.length() + "\r\n" + big + "\r\n");
        assertThat(new String(concat(written()), StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
        send("PING\r\nGET k\r\nECHO after\r\n");
        List<ByteBuf> out = written();
        for (ByteBuf b : out) {
            assertThat(b.isDirect()).isTrue();
            assertThat(b.readableBytes()).isLessThanOrEqualTo(ClientOutput.CHUNK);
        }
        assertThat(out.size()).isGreaterThanOrEqualTo(1_000_000 / ClientOutput.CHUNK);
        assertThat(new String(concat(out), StandardCharsets.US_ASCII))
                .isEqualTo("+PONG\r\n$1000000\r\n" + big + "\r\n$5\r\nafter\r\n");
    }

    @Test
    void heapOutOfMemoryIsFatalAndDirectMemoryOnlyClosesTheClient() {
        channel.pipeline().fireExceptionCaught(new OutOfMemoryError("Cannot reserve 4194304 bytes of direct buffer memory"));
        assertThat(fatal).isEmpty();
        assertThat(channel.isOpen()).isFalse();

        EmbeddedChannel other = new EmbeddedChannel(new ClientHandler(engine));
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        other.pipeline().fireExceptionCaught(heap);
        assertThat(fatal).containsExactly(heap);
        assertThat(other.isOpen()).isFalse();
        other.finishAndReleaseAll();
    }

    @Test
    void clientMemoryIsGivenBackWhenTheConnectionCloses() {
        send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n" + "x".repeat(50_000));
        assertThat(engine.clientMemory().total()).isGreaterThanOrEqualTo(50_000);
        channel.close();
        assertThat(engine.clientMemory().total()).isZero();
    }
}
