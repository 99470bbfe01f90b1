package io.lockbench.chaos;

import io.lockbench.fixture.RedisNode;

import java.util.List;

/**
 * What a fault acts on in one cell.
 *
 * @param servers the cell's servers
 * @param ledger the cell's record, for faults that mark moments (failover)
 * @param client the separate worker process, or null when the cell has none
 */
record FaultTarget(CellServers servers, CellLedger ledger, ClientProcess client) {

    /** @return the nodes the implementation uses */
    List<RedisNode> nodes() {
        return servers.nodes();
    }
}
