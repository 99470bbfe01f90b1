package io.lockbench.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A server somebody else runs. Never started, stopped or flushed: on close it loses only the keys under
 * our key prefix (and their hash-tagged form {@code {prefix...}}).
 */
final class ExternalNode extends AbstractNode {

    private static final Logger log = LoggerFactory.getLogger(ExternalNode.class);
    private static final int SCAN_COUNT = 1000;

    private final String keyPrefix;
    private final ClientPause clientPause = new ClientPause(this);

    ExternalNode(URI uri, String keyPrefix) {
        super(uri);
        this.keyPrefix = keyPrefix;
    }

    @Override
    public boolean managed() {
        return false;
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public void pause(Duration d) {
        requireOpen("pause");
        clientPause.pause(d);
    }

    @Override
    public void resume() {
        clientPause.resume();
    }

    @Override
    public void kill() {
        throw notOurs("kill");
    }

    @Override
    public void restart() {
        throw notOurs("restart");
    }

    @Override
    public void close() {
        if (!beginClose()) {
            return;
        }
        try {
            // Waits out a pause: the keys cannot be deleted before it ends anyway.
            clientPause.resume();
            long deleted = deleteOurKeys(keyPrefix + "*") + deleteOurKeys("{" + keyPrefix + "*");
            log.debug("{}: deleted {} keys under {}", this, deleted, keyPrefix);
        } catch (JedisException e) {
            log.warn("{}: could not delete the keys under {}", this, keyPrefix, e);
        }
    }

    private long deleteOurKeys(String pattern) {
        return call(jedis -> {
            long deleted = 0;
            ScanParams params = new ScanParams().match(pattern).count(SCAN_COUNT);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                List<String> keys = page.getResult();
                if (!keys.isEmpty()) {
                    deleted += jedis.unlink(keys.toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            return deleted;
        });
    }

    private UnsupportedOperationException notOurs(String operation) {
        return new UnsupportedOperationException(operation + ": " + uri() + " is an external server; lockbench "
            + "never kills or restarts servers it did not start. Use lockbench.redis=embedded or path for "
            + "process faults");
    }
}
