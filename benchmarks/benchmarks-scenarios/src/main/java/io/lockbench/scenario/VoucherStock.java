package io.lockbench.scenario;

import redis.clients.jedis.Jedis;

/**
 * The voucher story's table, kept in Redis: the unclaimed vouchers (a sorted set, read lowest first, as "the
 * first unclaimed voucher" row) and how many times each voucher was claimed (a hash). A claim is two plain
 * writes, as the story's was; only a lock around the read and the writes keeps two users from one voucher.
 */
final class VoucherStock {

    private final String unclaimed;
    private final String claims;

    /**
     * @param prefix the keys' prefix, unique to one run of one variant
     */
    VoucherStock(String prefix) {
        this.unclaimed = prefix + "vouchers:unclaimed";
        this.claims = prefix + "vouchers:claims";
    }

    /** Puts vouchers 1 to {@code count} in stock. */
    void fill(Jedis link, int count) {
        for (int voucher = 1; voucher <= count; voucher++) {
            link.zadd(unclaimed, voucher, Integer.toString(voucher));
        }
    }

    /** @return the lowest unclaimed voucher, or null when none is left */
    String firstUnclaimed(Jedis link) {
        return link.zrange(unclaimed, 0, 0).stream().findFirst().orElse(null);
    }

    /** Gives the voucher to the caller's user: counts the claim, then takes it out of stock. */
    void claim(Jedis link, String voucher) {
        link.hincrBy(claims, voucher, 1);
        link.zrem(unclaimed, voucher);
    }

    /** @return vouchers claimed at least once */
    long claimed(Jedis link) {
        return link.hlen(claims);
    }

    /** @return vouchers claimed more than once: given to two users */
    long claimedTwice(Jedis link) {
        return link.hvals(claims).stream().filter(count -> Long.parseLong(count) > 1).count();
    }

    /** Deletes the keys. */
    void delete(Jedis link) {
        link.del(unclaimed, claims);
    }
}
