package io.lockbench.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockbench.api.LockBackendException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry's bookkeeping: one subscription per channel with waiters, one waiter per message. */
class ReleaseWaitersTest {

    private final ScriptedSubscriptions subscriptions = new ScriptedSubscriptions();
    private final ReleaseWaiters waiters = new ReleaseWaiters(subscriptions);
    private final List<String> woken = new ArrayList<>();

    /** A waiter that records each wake and takes it when {@code takes}. */
    private ReleaseWaiters.Waiter waiter(String name, boolean takes) {
        return releasedBy -> {
            woken.add(name + "<-" + releasedBy);
            return takes;
        };
    }

    @Test
    void subscribesOnTheFirstJoinAndUnsubscribesWhenTheLastLeaves() {
        ReleaseWaiters.Membership a = waiters.join("ch", waiter("a", true));
        ReleaseWaiters.Membership b = waiters.join("ch", waiter("b", true));
        assertThat(a.live()).isTrue();
        assertThat(b.ready()).isCompleted();
        assertThat(waiters.channels()).containsExactly("ch");
        a.close();
        a.close();
        assertThat(subscriptions.calls).containsExactly("SUBSCRIBE ch");
        b.close();
        assertThat(subscriptions.calls).containsExactly("SUBSCRIBE ch", "UNSUBSCRIBE ch");
        waiters.join("ch", waiter("c", true));
        assertThat(subscriptions.calls).containsExactly("SUBSCRIBE ch", "UNSUBSCRIBE ch", "SUBSCRIBE ch");
    }

    @Test
    void aMessageWakesTheLongestWaiterThatTakesIt() {
        waiters.join("ch", waiter("busy", false));
        waiters.join("ch", waiter("first", true));
        waiters.join("ch", waiter("second", true));
        waiters.join("other", waiter("elsewhere", true));
        waiters.released("ch", "t1");
        assertThat(woken).containsExactly("busy<-t1", "first<-t1");
    }

    @Test
    void aMessageOnAChannelNobodyWaitsOnIsDropped() {
        waiters.released("ch", "t1");
        assertThat(woken).isEmpty();
    }

    @Test
    void wakeAllWakesEveryWaiterWithUnknownSender() {
        waiters.join("ch", waiter("a", true));
        waiters.join("ch", waiter("b", true));
        waiters.join("other", waiter("c", true));
        waiters.wakeAll();
        assertThat(woken).containsExactlyInAnyOrder("a<-null", "b<-null", "c<-null");
    }

    @Test
    void aFailedSubscriptionIsForgottenAndTheNextJoinSubscribesAfresh() {
        subscriptions.confirmAtOnce = false;
        ReleaseWaiters.Membership failed = waiters.join("ch", waiter("a", true));
        subscriptions.confirmations.get(0).completeExceptionally(new LockBackendException("127.0.0.1:1", "no", null));
        assertThat(failed.ready()).as("ready completes normally even when the subscription failed").isCompleted();
        assertThat(failed.live()).isFalse();
        assertThat(waiters.channels()).isEmpty();
        subscriptions.confirmAtOnce = true;
        ReleaseWaiters.Membership next = waiters.join("ch", waiter("b", true));
        assertThat(next.live()).isTrue();
        failed.close();
        assertThat(subscriptions.calls).as("leaving the failed channel unsubscribes nothing")
                .containsExactly("SUBSCRIBE ch", "SUBSCRIBE ch");
    }

    @Test
    void aSubscribeThatThrowsCountsAsFailed() {
        ReleaseWaiters throwing = new ReleaseWaiters(new ReleaseWaiters.Subscriptions() {
            @Override
            public java.util.concurrent.CompletionStage<Void> subscribe(String channel) {
                throw new LockBackendException("127.0.0.1:1", "connection refused", null);
            }

            @Override
            public void unsubscribe(String channel) {
            }
        });
        ReleaseWaiters.Membership membership = throwing.join("ch", waiter("a", true));
        assertThat(membership.ready()).isCompleted();
        assertThat(membership.live()).isFalse();
    }
}
