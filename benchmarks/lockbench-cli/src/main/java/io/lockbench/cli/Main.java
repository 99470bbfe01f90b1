package io.lockbench.cli;

import io.lockbench.fixture.RedisUnavailableException;
import io.lockbench.report.EnvironmentProbe;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Optional;

/**
 * The {@code lockbench} command. Exit codes: 0 done, 1 the run failed or some cases produced no result,
 * 2 bad command line.
 */
@Command(name = "lockbench",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {BenchCommand.class, ChaosCommand.class, ScenarioCommand.class, ReportCommand.class,
            TtlCommand.class, CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Redis distributed locks, measured: every lock implementation on the classpath, against Redis servers"
                + " it starts itself (or yours), with each figure put next to the round-trip bound.",
            ""
        },
        footer = {
            "",
            "Start with:  lockbench bench --quick",
            "Then:        lockbench help bench",
            "Safety:      lockbench chaos --quick",
            "Report:      lockbench report results/<run-id>"
        })
public final class Main implements Runnable {

    @Spec
    private CommandSpec spec;

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int execute(String... args) {
        // Library logging stays out of the progress lines unless asked for; read before any logger exists.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // NetCrusher, behind the latency proxies, logs every connection it sees dropped as an ERROR with a stack
        // trace; a dropped connection is the benchmark's business, reported through its own results.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.netcrusher") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.netcrusher", "off");
        }
        // Lettuce warns with a stack trace at each failed reconnect; chaos kills servers on purpose and counts
        // what that does in its own results.
        String watchdog = "org.slf4j.simpleLogger.log.io.lettuce.core.protocol.ConnectionWatchdog";
        if (System.getProperty(watchdog) == null) {
            System.setProperty(watchdog, "error");
        }
        // Redisson logs an ERROR for each reply it cannot match after a server was killed or failed over under
        // it (the replies of the dead connection); chaos does that on purpose and counts the effect itself.
        String decoder = "org.slf4j.simpleLogger.log.org.redisson.client.handler.CommandDecoder";
        if (System.getProperty(decoder) == null) {
            System.setProperty(decoder, "off");
        }
        return commandLine().execute(args);
    }

    /**
     * The configured command line, for tests that inspect parsing and help.
     *
     * @return a new command line
     */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Main::usageError)
                .setExecutionExceptionHandler(Main::runFailure);
    }

    /**
     * A failure the user can act on is one line saying what and what to do, exit 1; anything else is a bug
     * and keeps its stack trace.
     */
    private static int runFailure(Exception e, CommandLine failed, CommandLine.ParseResult parsed) throws Exception {
        String line = oneLine(e).orElseThrow(() -> e);
        failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + line);
        failed.getErr().flush();
        return 1;
    }

    /**
     * What to tell the user about a failure that is a fact about the machine, not a bug.
     *
     * @param e what the command threw
     * @return one line saying what happened and what to do; empty for a failure that is not one of these
     */
    static Optional<String> oneLine(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CommandFailure failure) {
                return Optional.of(failure.getMessage());
            }
            if (cause instanceof RedisUnavailableException unavailable) {
                return Optional.of(unavailable.getMessage() + "; " + switch (unavailable.reason()) {
                    case UNREACHABLE -> "start it or correct the address, or leave out --redis and lockbench starts"
                            + " its own servers";
                    case NO_BINARY -> "install Redis >= 6.2 and put it on the PATH or name it (--redis"
                            + " path:/path/to/redis-server), or use the binary lockbench ships (--redis embedded)";
                    case NO_DOCKER -> "start Docker, or leave out --redis and lockbench starts its own servers";
                });
            }
            if (cause instanceof RunnerException && String.valueOf(cause.getMessage()).contains(JmhLock.JMH_REFUSAL)) {
                return Optional.of(JmhLock.held().getMessage());
            }
        }
        return Optional.empty();
    }

    /** A bad command line is one line saying what and where to look, not the whole usage text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        failed.getErr().println("lockbench: " + e.getMessage() + " (see '" + failed.getCommandSpec().qualifiedName()
                + " --help')");
        failed.getErr().flush();
        return failed.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Without a subcommand there is nothing to do: say so, with the usage. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'lockbench bench --quick'");
    }

    /** The version from the jar's Maven metadata. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lockbench " + EnvironmentProbe.libraryVersion("io.lockbench:lockbench-cli")
                    .orElse("(development build)")};
        }
    }
}
