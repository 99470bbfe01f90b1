package io.lockbench.cli;

import io.lockbench.api.LockServices;
import io.lockbench.chaos.ChaosRun;
import io.lockbench.chaos.ChaosSettings;
import io.lockbench.fixture.RedisSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code lockbench chaos}: reads the options and hands them to {@link ChaosSession}. */
@Command(name = "chaos",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Run every lock implementation under every fault; count overlaps, stale writes and orphan locks.",
        description = {
            "The safety matrix: each implementation x fault runs critical sections (several workers contending on"
                + " a few keys with a short ttl, each writing its fencing token to a fenced and to a plain"
                + " resource) while the fault is injected for real: server SIGSTOP, a client JVM SIGSTOPped inside"
                + " its section, a client JVM SIGKILLed while its workers wait in acquire, replies dropped,"
                + " latency spike, node kill, Sentinel failover, lost release message, server clock jump"
                + " (libfaketime).",
            "",
            "Writes <out>/<run-id>/safety.csv, safety.json, safety.md and env.json, and prints the matrix. A naive"
                + " implementation that shows no violation where its story says it must is a harness bug: the run"
                + " says so and exits with 1. An implementation that keeps a key from the surviving workers past"
                + " its bound after a waiting client was killed (waiter-kill) is a finding: a violation in the"
                + " matrix, and a line on stderr.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  lockbench chaos --quick",
            "  lockbench chaos --impl jedis,naive-setnx --fault client-pause,ambiguous-acquire \\",
            "      --sections 500"
        })
final class ChaosCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--quick",
            description = "The whole matrix in about 6 to 8 minutes on 2 cores: 150 sections and 2 injections per cell.")
    private boolean quick;

    @Option(names = "--impl", split = ",", paramLabel = "NAME",
            description = "Implementations to run (default: every one on the classpath: ${COMPLETION-CANDIDATES}).",
            completionCandidates = BenchCommand.RegisteredNames.class)
    private List<String> implementations = new ArrayList<>();

    @Option(names = "--fault", split = ",", paramLabel = "FAULT",
            description = "Faults to inject (default: all): ${COMPLETION-CANDIDATES}.",
            completionCandidates = FaultNames.class)
    private List<String> faults = new ArrayList<>();

    @Option(names = "--sections", paramLabel = "N",
            description = "Critical sections per cell (default: 10000, or 150 with --quick).")
    private Long sections;

    @Option(names = "--redis", paramLabel = "SOURCE",
            description = "Where the Redis servers come from: auto, embedded or path[:binary] (faults kill and"
                    + " pause them, so they must be started here). Default: $LOCKBENCH_REDIS or auto.")
    private String redis;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory; each run gets <DIR>/<run-id>/ (default: ${DEFAULT-VALUE}).")
    private Path out;

    /** The fault names, for the help text. */
    static final class FaultNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ChaosRun.faultNames().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        List<String> chosen = implementations(LockServices.names());
        List<String> chosenFaults = faults();
        ChaosSettings settings = settings();
        RedisSource source = redisSource();
        return new ChaosSession(chosen, chosenFaults, settings, source, out, "lockbench " + String.join(" ",
                spec.commandLine().getParseResult().originalArgs()), spec.commandLine().getOut(),
                spec.commandLine().getErr()).execute();
    }

    /**
     * @param registered the implementations on the classpath
     * @return the implementations to run, in order
     * @throws ParameterException for an unknown name
     */
    List<String> implementations(List<String> registered) {
        if (implementations.isEmpty()) {
            return registered;
        }
        return ImplOption.chosen(implementations, registered, spec);
    }

    /**
     * @return the faults to run, in order; empty for all
     * @throws ParameterException for an unknown name
     */
    List<String> faults() {
        Set<String> chosen = new LinkedHashSet<>();
        for (String name : faults) {
            String trimmed = name.strip();
            if (!ChaosRun.faultNames().contains(trimmed)) {
                throw usage("--fault: no fault called '" + trimmed + "'; known: "
                        + String.join(", ", ChaosRun.faultNames()));
            }
            chosen.add(trimmed);
        }
        return List.copyOf(chosen);
    }

    /**
     * @return the cell settings these options give
     * @throws ParameterException for a section count below 1
     */
    ChaosSettings settings() {
        ChaosSettings base = quick ? ChaosSettings.quick() : ChaosSettings.standard();
        if (sections == null) {
            return base;
        }
        if (sections < 1) {
            throw usage("--sections: at least 1, got " + sections);
        }
        return base.withSections(sections);
    }

    private RedisSource redisSource() {
        RedisSource source;
        try {
            source = redis == null ? RedisSource.fromEnvironment() : RedisSource.parse(redis);
        } catch (IllegalArgumentException e) {
            throw usage("--redis: " + e.getMessage());
        }
        if (source instanceof RedisSource.External || source instanceof RedisSource.Docker || source.isCluster()) {
            throw usage("--redis: chaos kills, pauses and restarts its servers, so it starts them itself (auto,"
                    + " embedded or path); got " + source.describe());
        }
        return source;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
