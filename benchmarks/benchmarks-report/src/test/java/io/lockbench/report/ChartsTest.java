package io.lockbench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    private static final List<String> IMPLS = List.of("jedis", "lettuce", "redisson", "naive-setnx");

    @Test
    @DisplayName("a spectrum over three thread counts has one panel per count and one legend entry per implementation")
    void spectrumPanelPerThreadCount(@TempDir Path dir) throws Exception {
        List<SummaryRow> rows = new ArrayList<>();
        for (int threads : List.of(16, 1, 4)) {
            IMPLS.forEach(impl -> rows.add(row(impl, threads, 1_000 * threads, 900 * threads)));
        }
        JFreeChart chart = Charts.spectrum("Latency", rows, "here", ChartStyle.DEFAULT);

        CombinedRangeXYPlot plot = (CombinedRangeXYPlot) chart.getPlot();
        List<XYPlot> panels = plot.getSubplots();
        assertThat(panels).extracting(panel -> panel.getDomainAxis().getLabel())
                .containsExactly("1 thread, percentile", "4 threads, percentile", "16 threads, percentile");
        assertThat(panels).allSatisfy(panel -> assertThat(panel.getDataset().getSeriesCount()).isEqualTo(4));
        List<String> legend = new ArrayList<>();
        for (int i = 0; i < plot.getLegendItems().getItemCount(); i++) {
            legend.add(plot.getLegendItems().get(i).getLabel());
        }
        assertThat(legend).containsExactly("jedis", "lettuce", "redisson", "naive-setnx (unsafe)");
        Path file = ChartStyle.DEFAULT.write(chart, dir.resolve("spectrum.png"));
        assertThat(ImageIO.read(Files.newInputStream(file)).getWidth()).isEqualTo(ChartStyle.DEFAULT.width());
    }

    @Test
    @DisplayName("a spectrum at one thread count is a single plot")
    void spectrumOnePanel() {
        List<SummaryRow> rows = IMPLS.stream().map(impl -> row(impl, 4, 1_000, 900)).toList();
        JFreeChart chart = Charts.spectrum("Latency", rows, "here", ChartStyle.DEFAULT);
        assertThat(chart.getPlot()).isNotInstanceOf(CombinedRangeXYPlot.class);
        assertThat(((XYPlot) chart.getPlot()).getDataset().getSeriesCount()).isEqualTo(4);
    }

    @Test
    @DisplayName("throughput error bars wider than the figure stop at zero")
    void errorBarsStopAtZero() {
        List<SummaryRow> rows = new ArrayList<>();
        for (int threads : List.of(1, 4)) {
            IMPLS.forEach(impl -> rows.add(row(impl, threads, 1_000, 5_000)));
        }
        XYPlot plot = (XYPlot) Charts.throughput(rows, "here", ChartStyle.DEFAULT).getPlot();
        IntervalXYDataset data = (IntervalXYDataset) plot.getDataset();
        for (int series = 0; series < data.getSeriesCount(); series++) {
            for (int item = 0; item < data.getItemCount(series); item++) {
                assertThat(data.getStartYValue(series, item)).isZero();
                assertThat(data.getEndYValue(series, item)).isEqualTo(6_000);
            }
        }
    }

    private static SummaryRow row(String impl, int threads, double ops, double error) {
        return new SummaryRow("contended keys=1 hold=0", "0", threads, impl, ops, error, false, 10_000,
                new TreeMap<>(Map.of(50.0, 100.0 * threads, 90.0, 200.0 * threads, 99.0, 400.0 * threads,
                        99.9, 800.0 * threads)), 7, 1_000, 0, "");
    }
}
