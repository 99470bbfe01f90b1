package io.lockbench.cli;

import java.util.ArrayList;
import java.util.List;

/** Prose for the terminal, wrapped to {@link #WIDTH} columns. */
final class ConsoleText {

    /** The widest line the commands print. */
    static final int WIDTH = 120;

    private ConsoleText() {
    }

    /** Wraps text at {@link #WIDTH} columns, the first line after {@code lead}, the others indented as far. */
    static void wrap(List<String> lines, String lead, String text) {
        String indent = " ".repeat(lead.length());
        StringBuilder line = new StringBuilder(lead);
        for (String word : text.split(" ")) {
            if (line.length() + 1 + word.length() > WIDTH && line.length() > lead.length()) {
                lines.add(line.toString().stripTrailing());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length() && !line.toString().endsWith(" ")) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString().stripTrailing());
    }

    /**
     * @param lead what the first line starts with; the others are indented as far
     * @param text the prose
     * @return the wrapped lines joined by the line separator, without a final one
     */
    static String wrapped(String lead, String text) {
        List<String> lines = new ArrayList<>();
        wrap(lines, lead, text);
        return String.join(System.lineSeparator(), lines);
    }
}
