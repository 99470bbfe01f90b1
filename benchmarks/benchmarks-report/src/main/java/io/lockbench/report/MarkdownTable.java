package io.lockbench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Markdown tables padded to line up in a terminal, split into several tables when one would be wider than the
 * terminal: each part repeats the key columns (those that say which row is which) and takes as many of the
 * other columns, in order, as fit.
 */
final class MarkdownTable {

    /**
     * One column.
     *
     * @param header its header
     * @param cells its cells, top to bottom; every column of a table has as many
     */
    record Column(String header, List<String> cells) {
        Column {
            cells = List.copyOf(cells);
        }

        int width() {
            return Math.max(header.length(), cells.stream().mapToInt(String::length).max().orElse(0));
        }
    }

    private MarkdownTable() {
    }

    /**
     * Renders columns as one or more tables no wider than {@code width} (a single column wider than that on its
     * own gets a table of its own, however wide).
     *
     * @param columns the columns, the key columns first
     * @param keyColumns how many of the first columns every part repeats
     * @param width the widest a line may be
     * @return the tables, each ending with a newline
     */
    static List<String> render(List<Column> columns, int keyColumns, int width) {
        List<Column> keys = columns.subList(0, Math.min(keyColumns, columns.size()));
        List<String> tables = new ArrayList<>();
        List<Column> part = new ArrayList<>(keys);
        for (Column column : columns.subList(keys.size(), columns.size())) {
            if (part.size() > keys.size() && lineWidth(part) + column.width() + 3 > width) {
                tables.add(table(part));
                part = new ArrayList<>(keys);
            }
            part.add(column);
        }
        if (part.size() > keys.size() || tables.isEmpty()) {
            tables.add(table(part));
        }
        return tables;
    }

    /**
     * Wraps prose at spaces so that no line is wider than {@code width} (a longer word stays whole, and so does a
     * {@code `code span`}: a command broken over two lines could not be copied).
     *
     * @param text one paragraph
     * @param width the widest a line may be
     * @return the paragraph, lines joined by newlines
     */
    static String wrap(String text, int width) {
        StringBuilder wrapped = new StringBuilder();
        int lineStart = 0;
        for (String word : words(text.strip())) {
            int lineLength = wrapped.length() - lineStart;
            if (lineLength > 0 && lineLength + 1 + word.length() > width) {
                wrapped.append('\n');
                lineStart = wrapped.length();
            } else if (lineLength > 0) {
                wrapped.append(' ');
            }
            wrapped.append(word);
        }
        return wrapped.toString();
    }

    /** The text split at runs of spaces outside code spans. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean code = false;
        for (char c : text.toCharArray()) {
            if (c == '`') {
                code = !code;
            }
            if (c == ' ' && !code) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * Wraps the prose of a Markdown document to {@code width}: paragraphs at spaces, list items ({@code - }) with
     * their continuation lines indented under their text. Tables, headings, images, code blocks and lines that
     * fit are left as they are (a table row cannot wrap: split the table instead).
     *
     * @param markdown the document
     * @param width the widest a prose line may be
     * @return the document with its long prose lines wrapped
     */
    static String reflow(String markdown, int width) {
        StringBuilder out = new StringBuilder();
        boolean code = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                code = !code;
            }
            boolean keep = code || line.length() <= width || line.startsWith("|") || line.startsWith("#")
                    || line.startsWith("![") || line.startsWith("```") || line.startsWith("<!--");
            if (keep) {
                out.append(line);
            } else if (line.startsWith("- ")) {
                out.append("- ").append(wrap(line.substring(2), width - 2).replace("\n", "\n  "));
            } else {
                out.append(wrap(line, width));
            }
            out.append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** {@code | a | b |}: one for the leading bar, and a space, a bar and a space around each cell. */
    private static int lineWidth(List<Column> columns) {
        return 1 + columns.stream().mapToInt(column -> column.width() + 3).sum();
    }

    private static String table(List<Column> columns) {
        StringBuilder table = new StringBuilder();
        line(table, columns, -1);
        table.append('|');
        columns.forEach(column -> table.append(' ').append("-".repeat(column.width())).append(" |"));
        table.append('\n');
        int rows = columns.isEmpty() ? 0 : columns.get(0).cells().size();
        for (int row = 0; row < rows; row++) {
            line(table, columns, row);
        }
        return table.toString();
    }

    private static void line(StringBuilder table, List<Column> columns, int row) {
        table.append('|');
        for (Column column : columns) {
            String cell = row < 0 ? column.header() : column.cells().get(row);
            table.append(' ').append(cell).append(" ".repeat(column.width() - cell.length())).append(" |");
        }
        table.append('\n');
    }
}
