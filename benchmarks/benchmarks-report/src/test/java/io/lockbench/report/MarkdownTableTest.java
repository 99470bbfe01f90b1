package io.lockbench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownTableTest {

    @Test
    void aTableTooWideIsSplitRepeatingItsKeyColumns() {
        List<MarkdownTable.Column> columns = List.of(new MarkdownTable.Column("impl", List.of("jedis")),
                new MarkdownTable.Column("a", List.of("x".repeat(20))),
                new MarkdownTable.Column("b", List.of("y".repeat(20))));

        List<String> tables = MarkdownTable.render(columns, 1, 40);

        assertThat(tables).hasSize(2);
        assertThat(tables.get(0)).startsWith("| impl  | a ").doesNotContain("yyy");
        assertThat(tables.get(1)).startsWith("| impl  | b ").contains("| jedis | " + "y".repeat(20) + " |");
    }

    @Test
    void reflowWrapsProseAndListItemsButLeavesTablesHeadingsAndCode() {
        String longWords = "word ".repeat(30).strip();
        String table = "| " + "cell ".repeat(30) + "|";
        String markdown = String.join("\n", "# " + longWords, longWords, "- " + longWords, table, "```", longWords,
                "```", "short", "");

        String reflowed = MarkdownTable.reflow(markdown, 40);

        assertThat(reflowed.lines().filter(line -> line.length() > 40))
                .containsExactly("# " + longWords, table, longWords);
        assertThat(reflowed).contains("\n- word word", "\n  word word").endsWith("```\nshort\n");
        assertThat(reflowed.replaceAll("\\s+", " ")).isEqualTo(markdown.replaceAll("\\s+", " "));
        assertThat(MarkdownTable.reflow(reflowed, 40)).isEqualTo(reflowed);
    }

    @Test
    void aCodeSpanIsNeverBrokenOverTwoLines() {
        String command = "`lockbench ttl --hold p50=20ms,p99=200ms --pause 4s`";

        String wrapped = MarkdownTable.wrap("Ask it yourself: " + command + " and read.", 30);

        assertThat(wrapped.lines()).contains(command);
    }
}
