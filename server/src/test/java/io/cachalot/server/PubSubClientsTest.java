package io.cachalot.server;

import io.cachalot.core.api.EmbeddedClient;
import io.cachalot.core.pubsub.Subscription;
import io.cachalot.testsupport.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pub/sub through real clients: Jedis (RESP2, a blocking subscriber thread) and Lettuce (RESP3,
 * commands beside pushes on one connection) receive the same messages from Cachalot as from
 * redis-server; and in-process subscribers exchange messages with RESP clients of the same engine.
 */
class PubSubClientsTest {
    private static String take(LinkedBlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a message within 10 s").isNotNull();
        return s;
    }

    /** Jedis subscribes to a channel and a pattern; another Jedis publishes; what arrives, in order. */
    private static List<String> jedisScenario(int port) throws Exception {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(2);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                got.add("message " + channel + " " + message);
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                got.add("pmessage " + pattern + " " + channel + " " + message);
            }

            @Override
            public void onSubscribe(String channel, int count) {
                got.add("subscribe " + channel + " " + count);
                subscribed.countDown();
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                got.add("psubscribe " + pattern + " " + count);
                subscribed.countDown();
            }

            @Override
            public void onUnsubscribe(String channel, int count) {
                got.add("unsubscribe " + channel + " " + count);
            }

            @Override
            public void onPUnsubscribe(String pattern, int count) {
                got.add("punsubscribe " + pattern + " " + count);
            }
        };
        List<String> out = new ArrayList<>();
        try (Jedis sub = new Jedis("127.0.0.1", port); Jedis pub = new Jedis("127.0.0.1", port)) {
            Thread t = new Thread(() -> sub.subscribe(listener, "news"), "jedis-subscriber");
            t.start();
            assertThat(waitFor(() -> listener.isSubscribed())).isTrue();
            listener.psubscribe("n*");
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            out.add("published " + pub.publish("news", "hello"));
            out.add("published " + pub.publish("nope", "p"));
            out.add("published " + pub.publish("x", "nobody"));
            for (int i = 0; i < 100; i++) {
                pub.publish("news", "m" + i);
            }
            out.add("numsub " + pub.pubsubNumSub("news"));
            out.add("numpat " + pub.pubsubNumPat());
            listener.ping();
            listener.unsubscribe();
            listener.punsubscribe();
            t.join(10_000);
            assertThat(t.isAlive()).isFalse();
            out.addAll(got);
            out.add("after " + pub.publish("news", "late"));
        }
        return out;
    }

    private static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Lettuce (RESP3): a pub/sub connection that also runs commands; pushes arrive between replies. */
    private static List<String> lettuceScenario(int port) throws Exception {
        List<String> out = new ArrayList<>();
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        client.setDefaultTimeout(Duration.ofSeconds(10));
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             var pub = client.connect()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add("message " + channel + " " + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add("pmessage " + pattern + " " + channel + " " + message);
                }
            });
            sub.sync().subscribe("news");
            sub.sync().psubscribe("n*");
            out.add("published " + pub.sync().publish("news", "hello"));
            // RESP3: an ordinary command on the subscribed connection, between messages
            out.add("set " + sub.sync().set("k", "v"));
            out.add("published " + pub.sync().publish("nope", "p"));
            out.add("get " + sub.sync().get("k"));
            for (int i = 0; i < 3; i++) { // message and pmessage of news, pmessage of nope
                out.add(take(got));
            }
            out.add("channels " + pub.sync().pubsubChannels());
            sub.sync().unsubscribe("news");
            sub.sync().punsubscribe("n*");
            out.add("after " + pub.sync().publish("news", "late"));
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        return out;
    }

    @Test
    void jedisAndLettuceGetWhatRedisSends() throws Exception {
        try (RedisServerProcess reference = RedisServerProcess.start(); CachalotFixture cachalot = CachalotFixture.start()) {
            List<String> expected = jedisScenario(reference.port());
            assertThat(expected).contains("message news m99", "pmessage n* news m99");
            assertThat(jedisScenario(cachalot.port())).isEqualTo(expected);
            List<String> expected3 = lettuceScenario(reference.port());
            assertThat(expected3).contains("get v");
            assertThat(lettuceScenario(cachalot.port())).isEqualTo(expected3);
        }
    }

    @Test
    void messagesCrossBetweenInProcessAndRespClients() throws Exception {
        try (CachalotFixture cachalot = CachalotFixture.start()) {
            EmbeddedClient embedded = new EmbeddedClient(cachalot.server().engine());
            LinkedBlockingQueue<String> inProcess = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> overResp = new LinkedBlockingQueue<>();
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + cachalot.port());
            try (Subscription sub = embedded.subscribe(m -> inProcess.add(m.channelText() + " " + m.text()));
                 StatefulRedisPubSubConnection<String, String> resp = client.connectPubSub();
                 var pub = client.connect()) {
                sub.subscribe("to-embedded");
                resp.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        overResp.add(channel + " " + message);
                    }
                });
                resp.sync().subscribe("to-resp");
                // RESP -> in-process
                assertThat(pub.sync().publish("to-embedded", "from lettuce")).isEqualTo(1);
                assertThat(take(inProcess)).isEqualTo("to-embedded from lettuce");
                // in-process -> RESP
                assertThat(embedded.publish("to-resp", "from the engine")).isEqualTo(1);
                assertThat(take(overResp)).isEqualTo("to-resp from the engine");
                // both kinds of subscriber on one channel, as PUBSUB counts them
                resp.sync().subscribe("both");
                sub.subscribe("both");
                assertThat(pub.sync().pubsubNumsub("both")).containsEntry("both", 2L);
                assertThat(pub.sync().publish("both", "x")).isEqualTo(2);
                assertThat(take(inProcess)).isEqualTo("both x");
                assertThat(take(overResp)).isEqualTo("both x");
            } finally {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
            assertThat(embedded.publish("to-embedded", "closed")).isEqualTo(0);
        }
    }
}
