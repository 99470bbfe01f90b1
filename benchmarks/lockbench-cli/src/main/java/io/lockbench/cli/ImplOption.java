package io.lockbench.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The {@code --impl} option of every command: the names given, checked against the registered implementations. */
final class ImplOption {

    private ImplOption() {
    }

    /**
     * @param given the names after {@code --impl}, as typed (surrounding blanks are ignored)
     * @param registered the implementations on the classpath
     * @param spec the command, for the error
     * @return the names given, each once, in order; empty when none was given
     * @throws ParameterException naming the unknown name and the registered ones
     */
    static List<String> chosen(List<String> given, List<String> registered, CommandSpec spec) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String name : given) {
            String trimmed = name.strip();
            if (!registered.contains(trimmed)) {
                throw new ParameterException(spec.commandLine(), "--impl: no implementation called '" + trimmed
                        + "'; registered: " + String.join(", ", registered));
            }
            chosen.add(trimmed);
        }
        return List.copyOf(chosen);
    }
}
