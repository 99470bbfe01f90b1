package io.lockbench.chaos;

import io.lockbench.fixture.RedisNode;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a fault acts on in one cell.
 *
 * @param servers the cell's servers
 * @param ledger the cell's record, for faults that mark moments (failover)
 * @param client the separate worker process, or null when the cell has none
 * @param lockKey the server key holding a lock, from its name: the implementation's
 *     {@link io.lockbench.api.LockServiceProvider#lockKey}
 */
record FaultTarget(CellServers servers, CellLedger ledger, ClientProcess client, UnaryOperator<String> lockKey) {

    /** @return the nodes the implementation uses */
    List<RedisNode> nodes() {
        return servers.nodes();
    }

    /** @return the server keys that hold the cell's locks while they are held */
    List<String> lockKeys() {
        return ledger.keys().keySet().stream().map(lockKey).toList();
    }
}
