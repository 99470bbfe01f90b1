package io.lockbench.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.Paint;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The charts of a report, each drawn with {@link ChartStyle}: throughput against threads with the round-trip
 * bound, the latency percentile spectrum (HdrHistogram's plot: percentile on a log {@code 1/(1-p)} axis), the
 * handoff latency, and the safety matrix as a heat map.
 */
final class Charts {

    private static final double MAX_PERCENTILE = 99.99;
    /** The mark of every percentile point: the colour tells the implementation, in every panel alike. */
    private static final Shape POINT = new Ellipse2D.Double(-3, -3, 6, 6);

    private Charts() {
    }

    /**
     * Throughput of each implementation in one scenario, with its error and the round-trip bound: bars when the
     * scenario ran at one thread count, a line per implementation against threads when it ran at several.
     *
     * @param table the rows of one scenario and injected latency
     * @param where the machine, Redis and round trip, for the subtitle
     * @param style the style
     * @return the chart
     */
    static JFreeChart throughput(List<SummaryRow> table, String where, ChartStyle style) {
        String title = "Throughput: " + table.get(0).table();
        TreeSet<Integer> threads = new TreeSet<>(table.stream().map(SummaryRow::threads).toList());
        String oneCount = threads.first() + (threads.first() == 1 ? " thread" : " threads");
        JFreeChart chart = threads.size() == 1 ? throughputBars(title + ", " + oneCount, table)
                : throughputLines(title, table);
        return style.apply(chart, where);
    }

    private static JFreeChart throughputBars(String title, List<SummaryRow> table) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        double top = 0;
        for (SummaryRow row : table) {
            double error = Double.isNaN(row.opsError()) ? 0 : row.opsError();
            data.add(row.opsPerSecond(), error, "ops/s", ChartStyle.label(row.implementation()));
            top = Math.max(top, row.opsPerSecond() + error);
        }
        StatisticalBarRenderer renderer = new StatisticalBarRenderer() {
            @Override
            public Paint getItemPaint(int series, int column) {
                return ChartStyle.colour(table.get(column).implementation());
            }
        };
        renderer.setErrorIndicatorPaint(Color.BLACK);
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setMaximumBarWidth(0.12);
        renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        NumberAxis ops = new NumberAxis("operations per second (error bar: JMH's 99.9 % interval)");
        CategoryAxis implementations = new CategoryAxis(null);
        CategoryPlot plot = new CategoryPlot(data, implementations, ops, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        Map<String, Double> bounds = new TreeMap<>();
        table.stream().filter(row -> !Double.isNaN(row.bound()))
                .forEach(row -> bounds.putIfAbsent(boundClient(row), row.bound()));
        boolean above = true;
        for (Map.Entry<String, Double> bound : bounds.entrySet()) {
            // Each client library has its own round trip and so its own bound; labels alternate sides of
            // their lines so that two close bounds stay readable.
            ValueMarker marker = new ValueMarker(bound.getValue(), ChartStyle.BOUND, ChartStyle.boundStroke());
            ChartStyle.label(marker, "bound " + Summary.count(bound.getValue()) + " ops/s (" + bound.getKey()
                    + " PING) ", ChartStyle.BOUND, above ? RectangleAnchor.BOTTOM_LEFT : RectangleAnchor.TOP_LEFT,
                    above ? TextAnchor.BOTTOM_RIGHT : TextAnchor.TOP_RIGHT);
            plot.addRangeMarker(marker, Layer.FOREGROUND);
            top = Math.max(top, bound.getValue());
            above = !above;
        }
        ops.setRange(0, top * 1.08);
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    }

    private static JFreeChart throughputLines(String title, List<SummaryRow> table) {
        Map<String, YIntervalSeries> byImpl = new LinkedHashMap<>();
        Map<String, XYSeries> bounds = new TreeMap<>();
        for (SummaryRow row : table) {
            double error = Double.isNaN(row.opsError()) ? 0 : row.opsError();
            byImpl.computeIfAbsent(row.implementation(), name -> new YIntervalSeries(ChartStyle.label(name)))
                    .add(row.threads(), row.opsPerSecond(), Math.max(0, row.opsPerSecond() - error),
                            row.opsPerSecond() + error);
            if (!Double.isNaN(row.bound())) {
                bounds.computeIfAbsent(boundClient(row), client -> new XYSeries("round-trip bound, " + client
                        + " PING")).addOrUpdate(row.threads(), row.bound());
            }
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        byImpl.values().forEach(data::addSeries);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        int series = 0;
        for (String impl : byImpl.keySet()) {
            renderer.setSeriesPaint(series, ChartStyle.colour(impl));
            renderer.setSeriesStroke(series, ChartStyle.stroke(impl));
            series++;
        }
        NumberAxis threads = new NumberAxis("benchmark threads");
        threads.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        // JMH's interval is symmetric; a throughput below zero is impossible, so the bars stop at zero.
        NumberAxis ops = new NumberAxis("operations per second (error bar: JMH's 99.9 % interval)");
        XYPlot plot = new XYPlot(data, threads, ops, renderer);
        if (!bounds.isEmpty()) {
            XYSeriesCollection boundData = new XYSeriesCollection();
            XYLineAndShapeRenderer boundLine = new XYLineAndShapeRenderer(true, false);
            int index = 0;
            for (XYSeries bound : bounds.values()) {
                boundData.addSeries(bound);
                boundLine.setSeriesPaint(index, ChartStyle.BOUND);
                // One dash pattern per client library, so that the legend tells the bounds apart.
                boundLine.setSeriesStroke(index, index == 0 ? ChartStyle.boundStroke() : new BasicStroke(2f,
                        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 4f}, 0f));
                index++;
            }
            plot.setDataset(1, boundData);
            plot.setRenderer(1, boundLine);
        }
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    /** The client library whose PING a row's bound comes from, for the bound's label. */
    private static String boundClient(SummaryRow row) {
        String baseline = "client:";
        if (row.implementation().startsWith(baseline)) {
            return row.implementation().substring(baseline.length());
        }
        return RoundTrips.clientOf(row.implementation()).orElse("fastest client's");
    }

    /**
     * The latency percentile spectrum: one line per implementation through its percentiles, percentile on a log
     * {@code 1/(1-p)} axis so that 90 %, 99 % and 99.9 % are equally spaced, latency on a log axis. A scenario run
     * at several thread counts gets one panel per count, side by side on the same latency axis, so that no panel
     * carries more lines than there are implementations.
     *
     * @param title what the latency is of
     * @param table the rows of one scenario and injected latency; rows without percentiles are left out
     * @param where the machine, Redis and round trip, for the subtitle
     * @param style the style
     * @return the chart
     */
    static JFreeChart spectrum(String title, List<SummaryRow> table, String where, ChartStyle style) {
        TreeMap<Integer, List<SummaryRow>> byThreads = new TreeMap<>();
        table.forEach(row -> byThreads.computeIfAbsent(row.threads(), count -> new ArrayList<>()).add(row));
        LogAxis latency = new LatencyAxis("latency, µs (log scale)");
        latency.setBase(10);
        latency.setSmallestValue(1);
        if (byThreads.size() == 1) {
            XYPlot plot = spectrumPanel(table, "percentile (log scale of 1 / (1 - p))");
            plot.setRangeAxis(latency);
            return style.apply(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), where);
        }
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(latency);
        plot.setGap(16);
        LegendItemCollection legend = new LegendItemCollection();
        Map<String, Boolean> listed = new LinkedHashMap<>();
        byThreads.forEach((threads, rows) -> {
            plot.add(spectrumPanel(rows, threads + (threads == 1 ? " thread" : " threads") + ", percentile"));
            for (SummaryRow row : rows) {
                if (listed.putIfAbsent(row.implementation(), true) == null) {
                    legend.add(new LegendItem(ChartStyle.label(row.implementation()), null, null, null,
                            new Line2D.Double(-12, 0, 12, 0), ChartStyle.stroke(row.implementation()),
                            ChartStyle.colour(row.implementation())));
                }
            }
        });
        plot.setFixedLegendItems(legend);
        JFreeChart chart = style.apply(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), where);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    /** One panel of the spectrum: the rows' percentiles against the log {@code 1/(1-p)} axis. */
    private static XYPlot spectrumPanel(List<SummaryRow> rows, String axisLabel) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        double highest = 10;
        for (SummaryRow row : rows) {
            XYSeries series = new XYSeries(ChartStyle.label(row.implementation()));
            row.latencyMicros().forEach((percent, micros) -> {
                // Past 99.99 % a quick run has fewer samples than the percentile needs: JMH repeats its maximum.
                if (percent <= MAX_PERCENTILE && micros > 0) {
                    series.add(1 / (1 - percent / 100), micros);
                }
            });
            if (series.isEmpty()) {
                continue;
            }
            highest = Math.max(highest, series.getMaxX());
            int index = data.getSeriesCount();
            renderer.setSeriesPaint(index, ChartStyle.colour(row.implementation()));
            renderer.setSeriesStroke(index, ChartStyle.stroke(row.implementation()));
            renderer.setSeriesShape(index, POINT);
            data.addSeries(series);
        }
        LogAxis percentile = new LogAxis(axisLabel);
        percentile.setBase(10);
        percentile.setTickUnit(new NumberTickUnit(1));
        percentile.setNumberFormatOverride(new PercentileFormat());
        // 1 / (1 - 0.999) is 1000.0000000000009 in doubles: round before taking the next decade.
        // Room past the last decade for half its tick label, or the label falls off the edge or into the next panel.
        percentile.setRange(1, 1.6 * Math.pow(10, Math.ceil(Math.log10(highest) - 1e-9)));
        ChartStyle.fonts(percentile);
        XYPlot plot = new XYPlot(data, percentile, null, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(ChartStyle.GRID);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        return plot;
    }

    /**
     * The safety matrix as a heat map: implementations down, faults across, each cell coloured by its
     * violations and labelled with the count; cells that did not run are grey and say n/a.
     *
     * @param matrix the safety results
     * @param where the machine and Redis of the chaos run, for the subtitle
     * @param style the style
     * @return the chart
     */
    static JFreeChart safetyHeatMap(SafetyMatrix matrix, String where, ChartStyle style) {
        List<String> impls = matrix.implementations();
        List<String> faults = matrix.faults();
        int cells = impls.size() * faults.size();
        double[][] xyz = new double[3][cells];
        XYPlot plot = new XYPlot();
        int n = 0;
        for (int f = 0; f < faults.size(); f++) {
            for (int i = 0; i < impls.size(); i++) {
                // The first implementation at the top: y counts down.
                int y = impls.size() - 1 - i;
                Optional<SafetyCell> cell = matrix.cell(impls.get(i), faults.get(f)).filter(SafetyCell::ran);
                long violations = cell.map(SafetyCell::violations).orElse(-1L);
                boolean fenced = cell.map(SafetyCell::fencedHeld).orElse(false);
                xyz[0][n] = f;
                xyz[1][n] = y;
                xyz[2][n] = violations;
                n++;
                XYTextAnnotation label = new XYTextAnnotation(violations < 0 ? "n/a"
                        : violations + (fenced ? " fenced" : ""), f, y);
                label.setFont(ChartStyle.NOTE);
                label.setPaint(violations < 0 ? Color.GRAY : Color.BLACK);
                plot.addAnnotation(label);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("violations", xyz);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(new HeatScale());
        SymbolAxis faultAxis = new SymbolAxis(null, faults.toArray(String[]::new));
        faultAxis.setVerticalTickLabels(true);
        faultAxis.setGridBandsVisible(false);
        List<String> rows = new ArrayList<>();
        for (int i = impls.size() - 1; i >= 0; i--) {
            rows.add(ChartStyle.label(impls.get(i)));
        }
        SymbolAxis implAxis = new SymbolAxis(null, rows.toArray(String[]::new));
        implAxis.setGridBandsVisible(false);
        plot.setDataset(data);
        plot.setDomainAxis(faultAxis);
        plot.setRangeAxis(implAxis);
        plot.setRenderer(renderer);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        faultAxis.setRange(-0.5, faults.size() - 0.5);
        implAxis.setRange(-0.5, impls.size() - 0.5);
        long naive = impls.stream().filter(SummaryRow::unsafe).count();
        if (naive > 0 && naive < impls.size()) {
            ValueMarker line = new ValueMarker(naive - 0.5, Color.BLACK, new java.awt.BasicStroke(3f));
            plot.addRangeMarker(line, Layer.FOREGROUND);
        }
        JFreeChart chart = new JFreeChart("Safety: violations per implementation x fault (fenced: every stale"
                + " write refused)",
                JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        return style.apply(chart, where + " · chaos run " + matrix.runId());
    }

    /**
     * A log axis with ticks a reader can use: 1, 2 and 5 of each decade when the range spans three decades or less
     * (JFreeChart's own would give one tick, or values like 630,957.3), else one per decade.
     */
    private static final class LatencyAxis extends LogAxis {

        LatencyAxis(String label) {
            super(label);
        }

        @Override
        public List<NumberTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea,
                                             RectangleEdge edge) {
            double lower = getLowerBound();
            double upper = getUpperBound();
            boolean fine = Math.log10(upper) - Math.log10(lower) <= 3;
            DecimalFormat format = new DecimalFormat("#,##0.##");
            List<NumberTick> ticks = new ArrayList<>();
            for (int decade = (int) Math.floor(Math.log10(lower)); decade <= Math.ceil(Math.log10(upper)); decade++) {
                for (int mantissa : fine ? new int[] {1, 2, 5} : new int[] {1}) {
                    double value = mantissa * Math.pow(10, decade);
                    if (value >= lower && value <= upper) {
                        ticks.add(new NumberTick(TickType.MAJOR, value, format.format(value), TextAnchor.CENTER_RIGHT,
                                TextAnchor.CENTER_RIGHT, 0.0));
                    }
                }
            }
            return ticks;
        }
    }

    /** Green for none, red growing with the count, grey for a cell that did not run. */
    private static final class HeatScale implements PaintScale {
        @Override
        public double getLowerBound() {
            return -1;
        }

        @Override
        public double getUpperBound() {
            return Long.MAX_VALUE;
        }

        @Override
        public Paint getPaint(double value) {
            return ChartStyle.heat((long) value);
        }
    }

    /** Labels a {@code 1/(1-p)} axis value with its percentile: 1 as 0 %, 10 as 90 %, 1000 as 99.9 %. */
    private static final class PercentileFormat extends NumberFormat {
        @Override
        public StringBuffer format(double value, StringBuffer to, FieldPosition position) {
            double percent = 100 * (1 - 1 / value);
            String text = new DecimalFormat("0.#####").format(percent);
            return to.append(value <= 1 ? "0%" : text + "%");
        }

        @Override
        public StringBuffer format(long value, StringBuffer to, FieldPosition position) {
            return format((double) value, to, position);
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException("percentile labels are not parsed");
        }
    }

    /** For the caller's file names: the scenario and latency in characters safe in a path. */
    static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
