package io.lockbench.core;

import io.lockbench.api.LockBackendException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The implementation side of a {@link WaitLoop}, scripted: every attempt is a stage the test completes (or one
 * answered at once by {@link #answerHeld}), and every call is counted with the thread that made it.
 */
class ScriptedAttempts implements WaitLoop.Attempts<TestLease> {

    /** The attempts sent, in order; the test completes them. */
    final List<CompletableFuture<WaitLoop.Attempt<TestLease>>> sent = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<TestLease> givenBack = new CopyOnWriteArrayList<>();
    private volatile long heldAtOnceTtlNanos = -2;

    /** From now on every attempt answers "held" at once, reporting this holder ttl. */
    ScriptedAttempts answerHeld(long holderTtlNanos) {
        heldAtOnceTtlNanos = holderTtlNanos;
        return this;
    }

    @Override
    public CompletionStage<WaitLoop.Attempt<TestLease>> attempt() {
        CompletableFuture<WaitLoop.Attempt<TestLease>> reply = new CompletableFuture<>();
        threads.add(Thread.currentThread().getName());
        sent.add(reply);
        if (heldAtOnceTtlNanos != -2) {
            reply.complete(WaitLoop.Attempt.held(heldAtOnceTtlNanos, token(sent.size() - 1)));
        }
        return reply;
    }

    @Override
    public void giveBack(TestLease lease) {
        givenBack.add(lease);
    }

    int count() {
        return sent.size();
    }

    /** The token attempt {@code i} sent. */
    static String token(int i) {
        return "token-" + i;
    }

    void held(int i, long holderTtlNanos) {
        sent.get(i).complete(WaitLoop.Attempt.held(holderTtlNanos, token(i)));
    }

    TestLease grant(int i) {
        TestLease lease = new TestLease(token(i));
        sent.get(i).complete(WaitLoop.Attempt.granted(lease));
        return lease;
    }

    void fail(int i, String why) {
        sent.get(i).completeExceptionally(new LockBackendException("127.0.0.1:1", why, null));
    }
}
