package io.lockbench.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.Lease;
import io.lockbench.api.LockBackendException;
import io.lockbench.api.LockSettings;
import io.lockbench.testkit.Await;
import io.lockbench.fixture.RedisNode;
import io.lockbench.fixture.RedisNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Issue 9, behaviour 3.1 for Lettuce: no orphan lock after a stalled server. ttl 500 ms, command timeout
 * 250 ms, 8 threads acquiring and releasing on 64 keys, the server SIGSTOPped for 2 s and resumed. Acquires
 * sent during the stall time out on the client but run when the server resumes, each writing a lock with a
 * fresh ttl that nobody holds. Before the fix, 3 to 34 such keys stayed until their ttl ran out.
 *
 * <p>An orphan is told from a released lock by how it ends on the server, counted through keyspace
 * notifications: a released lock is deleted ({@code del}); an orphan expires ({@code expired}) one ttl after
 * the resume wrote it. Locks taken before the stall expire too, but their ttl ran out during the stall, so
 * they expire as soon as the server runs again; a lock that expires unreleased half a ttl or more after the
 * server answered again was written at the resume, and is an orphan. (The time a key's write is heard is no
 * guide: a notification of a write made just before the stall reaches the listener only at the resume.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LettuceStalledServerIT {

    private static final Logger LOG = LoggerFactory.getLogger(LettuceStalledServerIT.class);
    private static final int THREADS = 8;
    private static final int KEYS = 64;
    private static final Duration TTL = Duration.ofMillis(500);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(250);
    private static final Duration STALL = Duration.ofSeconds(2);
    private static final String EVENTS = "__keyevent@0__:";

    /** One keyspace event: what happened to which key, and when the test heard of it. */
    private record Event(long atNanos, String type, String key) {
    }

    @Test
    void noLockIsLeftBehindWhenAStalledServerResumes() throws Exception {
        try (RedisNodes nodes = RedisNodes.start(1);
             LettuceLockService service = new LettuceLockService(
                     nodes.settings().withCommandTimeout(COMMAND_TIMEOUT))) {
            RedisNode node = nodes.node(0);
            String lockPrefix = "lock:{" + nodes.keyPrefix() + "stalled:";
            node.call(jedis -> jedis.configSet("notify-keyspace-events", "E$gx"));
            ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
            try (KeyEvents listening = KeyEvents.start(node, lockPrefix, events)) {
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong granted = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                List<Thread> callers = startCallers(service, nodes.keyPrefix() + "stalled:", running, granted, failed);
                Await.until(Duration.ofSeconds(10), () -> granted.get() >= 200, "callers under way");

                node.pause(STALL);
                Await.until(Duration.ofSeconds(30), () -> answers(node), "the server answers again");
                long resumedAt = System.nanoTime();
                long answeredAt = granted.get();
                Await.until(Duration.ofSeconds(30), () -> granted.get() >= answeredAt + 200,
                        "callers under way after the resume");
                running.set(false);
                for (Thread caller : callers) {
                    caller.join(TimeUnit.SECONDS.toMillis(30));
                    assertThat(caller.isAlive()).as("%s ended", caller.getName()).isFalse();
                }

                Await.until(Duration.ofSeconds(5), () -> lockKeys(node, lockPrefix).isEmpty(),
                        "no lock key left after every lease was released");
                List<String> orphans = orphans(events, resumedAt);
                LOG.info("{} leases granted and released, {} acquires or releases failed during the stall; "
                        + "{} keyspace events, orphans that expired unreleased: {}", granted, failed, events.size(),
                        orphans);
                assertThat(failed).as("calls that failed during the stall").hasPositiveValue();
                assertThat(orphans).as("locks written when the server resumed and left to expire").isEmpty();
            }
        }
    }

    private static List<Thread> startCallers(LettuceLockService service, String keyPrefix, AtomicBoolean running,
                                             AtomicLong granted, AtomicLong failed) {
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            Thread caller = new Thread(() -> {
                for (int i = first; running.get(); i += THREADS) {
                    String key = keyPrefix + (i % KEYS);
                    try {
                        Optional<Lease> lease = service.acquire(key, TTL, Duration.ofMillis(20));
                        if (lease.isPresent()) {
                            granted.incrementAndGet();
                            lease.get().release();
                        }
                    } catch (LockBackendException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "stalled-caller-" + t);
            caller.start();
            callers.add(caller);
        }
        return callers;
    }

    /** Lock keys that expired unreleased half a ttl or more after the server answered again. */
    private static List<String> orphans(ConcurrentLinkedQueue<Event> events, long resumedAt) {
        List<String> orphans = new ArrayList<>();
        for (Event event : events) {
            if (event.type().equals("expired") && event.atNanos() - resumedAt >= TTL.toNanos() / 2) {
                orphans.add(event.key());
            }
        }
        return orphans;
    }

    private static boolean answers(RedisNode node) {
        try {
            return "PONG".equals(node.call(Jedis::ping));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Set<String> lockKeys(RedisNode node, String lockPrefix) {
        Set<String> keys = node.call(jedis -> jedis.keys(lockPrefix + "*"));
        keys.removeIf(key -> key.endsWith(":fence"));
        return keys;
    }

    /** A subscriber to set, del and expired events of the test's lock keys, on a thread of its own. */
    private static final class KeyEvents implements AutoCloseable {

        private final Jedis connection;
        private final JedisPubSub subscriber;
        private final Thread thread;

        private KeyEvents(Jedis connection, JedisPubSub subscriber, Thread thread) {
            this.connection = connection;
            this.subscriber = subscriber;
            this.thread = thread;
        }

        static KeyEvents start(RedisNode node, String lockPrefix, ConcurrentLinkedQueue<Event> events)
                throws InterruptedException {
            CountDownLatch subscribed = new CountDownLatch(1);
            JedisPubSub subscriber = new JedisPubSub() {
                @Override
                public void onMessage(String channel, String key) {
                    if (key.startsWith(lockPrefix) && !key.endsWith(":fence")) {
                        events.add(new Event(System.nanoTime(), channel.substring(EVENTS.length()), key));
                    }
                }

                @Override
                public void onSubscribe(String channel, int subscribedChannels) {
                    if (subscribedChannels == 3) {
                        subscribed.countDown();
                    }
                }
            };
            Jedis connection = new Jedis(node.host(), node.port(), 0);
            Thread thread = new Thread(() -> connection.subscribe(subscriber, EVENTS + "set", EVENTS + "del",
                    EVENTS + "expired"), "stalled-key-events");
            thread.setDaemon(true);
            thread.start();
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("subscribed to keyspace events").isTrue();
            return new KeyEvents(connection, subscriber, thread);
        }

        @Override
        public void close() throws InterruptedException {
            subscriber.unsubscribe();
            thread.join(TimeUnit.SECONDS.toMillis(5));
            connection.close();
        }
    }
}
