package io.lockbench.scenario;

import io.lockbench.safety.FencedResource;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * The bonus story's business state: a "paid" bit per task in Redis (what the story's {@code GETBIT} read), and
 * per task the ledger the money is written to. The correct setup's ledger refuses a payment whose fencing token is
 * not above the highest it accepted ({@link FencedResource#fenced()}); the story's ledger takes every payment
 * ({@link FencedResource#unfenced()}).
 */
final class Payroll {

    private final String paidKey;
    private final List<FencedResource> ledgers = new ArrayList<>();

    /**
     * @param keyPrefix the run's key prefix
     * @param tasks how many tasks
     * @param fenced whether the ledger checks fencing tokens
     */
    Payroll(String keyPrefix, int tasks, boolean fenced) {
        this.paidKey = keyPrefix + "bonus:paid";
        for (int i = 0; i < tasks; i++) {
            ledgers.add(fenced ? FencedResource.fenced() : FencedResource.unfenced());
        }
    }

    /** The check before paying: {@code GETBIT}, on the payer's own connection. */
    boolean paid(Jedis link, int task) {
        return link.getbit(paidKey, task);
    }

    /** Writes the payment to the ledger and, when the ledger took it, sets the paid bit. */
    void pay(Jedis link, int task, long fencingToken, String payer) {
        if (ledgers.get(task).write(fencingToken, payer)) {
            link.setbit(paidKey, task, true);
        }
    }

    int tasks() {
        return ledgers.size();
    }

    /** @return tasks with at least one payment accepted */
    long tasksPaid() {
        return ledgers.stream().filter(ledger -> ledger.accepted() > 0).count();
    }

    /** @return tasks with more than one payment accepted: the story's failure */
    long paidTwice() {
        return ledgers.stream().filter(ledger -> ledger.accepted() > 1).count();
    }

    /** @return payments the ledger refused for a stale fencing token */
    long refused() {
        return ledgers.stream().mapToLong(FencedResource::rejected).sum();
    }
}
