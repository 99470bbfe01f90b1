package io.lockbench.scenario;

import io.lockbench.fixture.RedisNodes;
import io.lockbench.fixture.RedisSource;
import java.util.function.Consumer;

/**
 * What every scenario runs on: where its Redis servers come from, and where its progress lines go.
 *
 * @param source the servers' source; each implementation's run starts a server of its own from it
 * @param progress told one line at each long step, such as {@code "bonus/jedis: holder frozen past the ttl"}
 */
public record ScenarioEnvironment(RedisSource source, Consumer<String> progress) {

    /**
     * One fresh server for one implementation's run, so that runs side by side share no keys and no proxy.
     *
     * @return the running server; the caller closes it
     */
    public RedisNodes startRedis() {
        return RedisNodes.start(1, source);
    }

    /**
     * Tells the progress listener.
     *
     * @param scenario the story's id
     * @param impl the implementation
     * @param line what is happening
     */
    public void progress(String scenario, String impl, String line) {
        progress.accept(scenario + "/" + impl + ": " + line);
    }
}
