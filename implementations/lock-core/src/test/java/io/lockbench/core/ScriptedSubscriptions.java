package io.lockbench.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client's subscriptions, scripted: records every call; confirms at once unless told to hold them. */
final class ScriptedSubscriptions implements ReleaseWaiters.Subscriptions {

    /** "SUBSCRIBE ch" and "UNSUBSCRIBE ch", in call order. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> confirmations = new CopyOnWriteArrayList<>();
    volatile boolean confirmAtOnce = true;
    /** Like a client with one pattern subscription (waiters join early); false: channel by channel. */
    volatile boolean everyChannel = true;

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        calls.add("SUBSCRIBE " + channel);
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        confirmations.add(confirmed);
        if (confirmAtOnce) {
            confirmed.complete(null);
        }
        return confirmed;
    }

    @Override
    public void unsubscribe(String channel) {
        calls.add("UNSUBSCRIBE " + channel);
    }

    @Override
    public boolean listensToEveryChannel() {
        return everyChannel;
    }
}
