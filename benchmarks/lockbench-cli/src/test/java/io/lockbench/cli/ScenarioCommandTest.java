package io.lockbench.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScenarioCommandTest {

    @Test
    void anUnknownScenarioExitsWithTwoAndOneLineNamingTheKnownOnes() {
        assertExitTwoWithOneLine("unknown scenario 'lottery'; known: bonus, voucher, leak, leader", "scenario",
                "bonus", "lottery");
    }

    @Test
    void anUnknownImplementationExitsWithTwoAndOneLine() {
        assertExitTwoWithOneLine("--impl: no implementation called 'zookeeper'; registered: ", "scenario", "leak",
                "--impl", "jedis,zookeeper");
    }

    @Test
    void aBadRedisSourceExitsWithTwoAndOneLine() {
        assertExitTwoWithOneLine("--redis: ", "scenario", "--redis", "mongodb://x");
    }

    @Test
    void helpNamesTheStoriesAndTheCsv() {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("scenario", "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("bonus, voucher, leak, leader", "--impl", "--redis", "--out",
                "scenarios.csv");
    }

    private static void assertExitTwoWithOneLine(String message, String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(out)).execute(args);

        assertThat(code).as("exit code of %s", List.of(args)).isEqualTo(2);
        assertThat(err.toString().lines().toList()).singleElement().asString().contains(message);
        assertThat(out.toString()).isEmpty();
    }
}
