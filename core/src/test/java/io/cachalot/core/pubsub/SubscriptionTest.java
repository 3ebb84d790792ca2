package io.cachalot.core.pubsub;

import io.cachalot.core.CapturedLog;
import io.cachalot.core.Engine;
import io.cachalot.core.api.EmbeddedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** In-process subscribers: the engine's pub/sub through {@link EmbeddedClient#subscribe}. */
class SubscriptionTest {
    private final Engine engine = new Engine();
    private final EmbeddedClient client = new EmbeddedClient(engine);

    @AfterEach
    void close() {
        engine.close();
    }

    /** Collects what a listener receives, as "pattern channel message" lines. */
    private static class Inbox implements MessageListener {
        final LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        final List<String> threads = new ArrayList<>();
        volatile String closedWith;
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onMessage(Message m) {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            got.add((m.pattern() == null ? "" : new String(m.pattern()) + " ") + (m.isShard() ? "shard " : "")
                    + m.channelText() + " " + m.text());
        }

        @Override
        public void onClosed(String reason) {
            closedWith = reason;
            closed.countDown();
        }

        String next() throws InterruptedException {
            String s = got.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("a message within 5 s").isNotNull();
            return s;
        }
    }

    private Object numsub(String channel) {
        return ((List<?>) client.call("PUBSUB", "NUMSUB", channel)).get(1);
    }

    @Test
    void channelsPatternsAndShardChannelsDeliverInPublishOrder() throws Exception {
        Inbox inbox = new Inbox();
        try (Subscription sub = client.subscribe(inbox)) {
            sub.subscribe("news").psubscribe("n*").ssubscribe("orders");
            assertThat(numsub("news")).isEqualTo(1L);
            assertThat(client.call("PUBSUB", "NUMPAT")).isEqualTo(1L);
            assertThat(client.publish("news", "one")).isEqualTo(2);
            assertThat(client.publish("nope", "two")).isEqualTo(1);
            assertThat(client.publish("other", "three")).isEqualTo(0);
            assertThat(client.call("SPUBLISH", "orders", "four")).isEqualTo(1L);
            assertThat(inbox.next()).isEqualTo("news one");
            assertThat(inbox.next()).isEqualTo("n* news one");
            assertThat(inbox.next()).isEqualTo("n* nope two");
            assertThat(inbox.next()).isEqualTo("shard orders four");
            // many messages: order kept, delivered on the engine's subscriber threads
            for (int i = 0; i < 10_000; i++) {
                client.publish("news", Integer.toString(i));
            }
            for (int i = 0; i < 10_000; i++) {
                assertThat(inbox.next()).isEqualTo("news " + i);
                assertThat(inbox.next()).isEqualTo("n* news " + i);
            }
            synchronized (inbox.threads) {
                assertThat(inbox.threads).allMatch(t -> t.startsWith("cachalot-subscriber-"));
            }
            sub.unsubscribe().punsubscribe();
            assertThat(client.publish("news", "gone")).isEqualTo(0);
            assertThat(sub.names(PubSub.Kind.SHARD)).hasSize(1);
        }
        assertThat(client.call("SPUBLISH", "orders", "closed")).isEqualTo(0L);
        assertThat(inbox.got.poll(100, TimeUnit.MILLISECONDS)).isNull();
        assertThat(inbox.closedWith).as("closed by its owner: not told").isNull();
    }

    @Test
    void keyspaceNotificationsReachAnInProcessListener() throws Exception {
        client.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        Inbox inbox = new Inbox();
        try (Subscription sub = client.subscribe(inbox)) {
            sub.psubscribe("__key*__:*");
            client.call("SET", "k", "v");
            client.call("PEXPIRE", "k", "1");
            assertThat(inbox.next()).isEqualTo("__key*__:* __keyspace@0__:k set");
            assertThat(inbox.next()).isEqualTo("__key*__:* __keyevent@0__:set k");
            assertThat(inbox.next()).isEqualTo("__key*__:* __keyspace@0__:k expire");
            assertThat(inbox.next()).isEqualTo("__key*__:* __keyevent@0__:expire k");
            // expiry notifies too (the active cycle or this read finds it gone)
            Thread.sleep(5);
            assertThat(client.call("GET", "k")).isNull();
            assertThat(inbox.next()).isEqualTo("__key*__:* __keyspace@0__:k expired");
            assertThat(inbox.next()).isEqualTo("__key*__:* __keyevent@0__:expired k");
        }
    }

    @Test
    void aListenerThatFallsBehindIsEndedByThePubSubLimit() throws Exception {
        CapturedLog.clear();
        client.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0");
        CountDownLatch release = new CountDownLatch(1);
        Inbox inbox = new Inbox() {
            @Override
            public void onMessage(Message m) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onMessage(m);
            }
        };
        Inbox fast = new Inbox();
        Subscription slow = client.subscribe(inbox).subscribe("c");
        try (Subscription ok = client.subscribe(fast).subscribe("c")) {
            byte[] kb = new byte[1024];
            int sent = 0;
            while (slow.isOpen() && sent < 5000) {
                client.publish("c".getBytes(), kb);
                sent++;
                // the one that keeps up reads each message before the next is sent, so on a slow
                // machine only the blocked listener's queue can grow past the limit
                fast.next();
            }
            assertThat(slow.isOpen()).isFalse();
            assertThat(sent).isBetween(900, 1100);
            release.countDown();
            assertThat(inbox.closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(inbox.closedWith).contains("client-output-buffer-limit pubsub");
            // the ended one is no subscriber any more
            assertThat(client.publish("c", "after")).isEqualTo(1);
            assertThat(new String((byte[]) client.call("INFO", "stats")))
                    .contains("client_output_buffer_limit_disconnections:1");
            assertThatThrownBy(() -> slow.subscribe("again")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("client-output-buffer-limit");
        }
        assertThat(CapturedLog.warnings()).anyMatch(w -> w.contains("overcoming of output buffer limits"));
    }

    @Test
    void aListenerThatThrowsGetsTheNextMessage() throws Exception {
        Inbox inbox = new Inbox();
        try (Subscription sub = client.subscribe(m -> {
            if (m.text().equals("bad")) {
                throw new IllegalStateException("listener bug");
            }
            inbox.onMessage(m);
        })) {
            sub.subscribe("c");
            client.publish("c", "bad");
            client.publish("c", "good");
            assertThat(inbox.next()).isEqualTo("c good");
        }
    }

    @Test
    void anEmbeddedClientCannotSubscribeThroughCall() {
        assertThatThrownBy(() -> client.call("SUBSCRIBE", "c"))
                .hasMessage("ERR in-process clients subscribe with EmbeddedClient.subscribe(MessageListener)");
        assertThat(numsub("c")).isEqualTo(0L);
        assertThat(client.publish("c", "x")).isEqualTo(0);
    }

    @Test
    void closingTheEngineTellsTheListeners() throws Exception {
        Inbox inbox = new Inbox();
        client.subscribe(inbox).subscribe("c");
        client.publish("c", "last");
        engine.close();
        assertThat(inbox.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(inbox.closedWith).isEqualTo("engine closed");
    }

    @Test
    void aListenerCanRunOnTheCallersExecutor() throws Exception {
        Inbox inbox = new Inbox();
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "mine"));
        try (Subscription sub = client.subscribe(inbox, ex)) {
            sub.subscribe(new byte[] {0, (byte) 0xff});
            client.publish(new byte[] {0, (byte) 0xff}, "bin".getBytes());
            inbox.next();
            synchronized (inbox.threads) {
                assertThat(inbox.threads).containsExactly("mine");
            }
        } finally {
            ex.shutdown();
        }
    }
}
