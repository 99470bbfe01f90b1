package io.lockbench.cli;

import io.lockbench.api.LockServices;
import io.lockbench.fixture.RedisSource;
import io.lockbench.scenario.Scenario;
import io.lockbench.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code lockbench scenario}: picks the stories and implementations and hands them to {@link ScenarioRun}. */
@Command(name = "scenario",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Replay the four production stories on real Redis: the naive lock that broke each one, and the correct ones.",
        description = {
            "Each story of the design (bonus paid twice, voucher claimed by two users, lock leaked for two hours,"
                + " two leaders) runs as a small program on Redis servers it starts itself (or --redis), for the"
                + " naive implementation that broke it and for the correct ones, and prints the business outcome"
                + " side by side. Writes <out>/<run-id>/scenarios.csv (scenario,impl,outcome,value,unit) and env.json.",
            "",
            "Exit code 1 when a naive implementation does not show its story's failure (a harness bug) or a correct"
                + " one does (a defect). All four stories take about 2 to 3 minutes.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  lockbench scenario",
            "  lockbench scenario leak leader --impl naive-timeout-is-failure,jedis"
        })
final class ScenarioCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "SCENARIO", arity = "0..*",
            description = "Stories to run: bonus, voucher, leak, leader (default: all four, in that order).")
    private List<String> scenarios = new ArrayList<>();

    @Option(names = "--impl", split = ",", paramLabel = "NAME",
            description = "Implementations to run in every chosen story, by registered name (default: each story's"
                    + " naive implementation and jedis, lettuce, redisson; voucher: jedis, lettuce, redisson).")
    private List<String> implementations = new ArrayList<>();

    @Option(names = "--redis", paramLabel = "SOURCE",
            description = "Where the Redis servers come from: auto, embedded, path[:binary], docker[:image] (one server"
                    + " per implementation and story), or redis://host:port (your server, keys under a run prefix)."
                    + " Default: $LOCKBENCH_REDIS or auto.")
    private String redis;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory; each run gets <DIR>/<run-id>/ (default: ${DEFAULT-VALUE}).")
    private Path out;

    /** The faults are injected on purpose: lockbench's own warnings about them would bury the outcomes. */
    private static final String OWN_LOGGERS = "org.slf4j.simpleLogger.log.io.lockbench";

    @Override
    public Integer call() throws Exception {
        if (System.getProperty(OWN_LOGGERS) == null) {
            System.setProperty(OWN_LOGGERS, "off");
        }
        List<Scenario> chosen = scenarios(Scenarios.story());
        List<String> impls = implementations(LockServices.names());
        RedisSource source = redisSource();
        return new ScenarioRun(chosen, impls, source, out, "lockbench " + String.join(" ",
                spec.commandLine().getParseResult().originalArgs()), spec.commandLine().getOut(),
                spec.commandLine().getErr()).execute();
    }

    /**
     * The stories named on the command line, in story order.
     *
     * @param known every story by id
     * @return the chosen ones
     * @throws ParameterException for an unknown story
     */
    List<Scenario> scenarios(Map<String, Scenario> known) {
        if (scenarios.isEmpty()) {
            return List.copyOf(known.values());
        }
        Set<String> named = new LinkedHashSet<>();
        for (String id : scenarios) {
            String trimmed = id.strip();
            if (!known.containsKey(trimmed)) {
                throw usage("unknown scenario '" + trimmed + "'; known: " + String.join(", ", known.keySet()));
            }
            named.add(trimmed);
        }
        return known.values().stream().filter(scenario -> named.contains(scenario.id())).toList();
    }

    /**
     * The implementations named with --impl; empty for each story's own.
     *
     * @param registered the implementations on the classpath
     * @return the chosen ones
     * @throws ParameterException for an unknown implementation
     */
    List<String> implementations(List<String> registered) {
        return ImplOption.chosen(implementations, registered, spec);
    }

    private RedisSource redisSource() {
        RedisSource source;
        try {
            source = redis == null ? RedisSource.fromEnvironment() : RedisSource.parse(redis);
        } catch (IllegalArgumentException e) {
            throw usage("--redis: " + e.getMessage());
        }
        if (source.isCluster()) {
            throw usage("--redis: the scenarios need independent servers, not a Redis Cluster (only bench runs on a"
                    + " cluster); got " + source.describe());
        }
        return source;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
