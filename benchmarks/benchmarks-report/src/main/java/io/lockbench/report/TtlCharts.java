package io.lockbench.report;

import io.lockbench.ttl.DurationText;
import io.lockbench.ttl.TtlAdvice;
import io.lockbench.ttl.TtlAdvisor;
import io.lockbench.ttl.TtlQuestion;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Polygon;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The TTL advisor's charts, drawn with {@link ChartStyle} like every other chart: the risk that a lease expires
 * while held against the ttl (log-log, with and without a watchdog, the target and the advised ttl drawn in), the
 * recovery time after a crashed holder against the ttl (the price of a long ttl, with story 3's two hours marked),
 * and, in a run's report, the risk curves of the four stories ({@link TtlStory}) with the run's latency.
 */
public final class TtlCharts {

    /** The risk chart's file name. */
    public static final String RISK_FILE = "ttl-risk.png";
    /** The recovery chart's file name. */
    public static final String RECOVERY_FILE = "ttl-recovery.png";
    /** The report's chart of the four stories' risk curves. */
    public static final String STORIES_FILE = "ttl-risk-stories.png";

    private static final Color WITHOUT = new Color(0xD6, 0x27, 0x28);
    private static final Color WITH = new Color(0x1F, 0x77, 0xB4);
    private static final Color GUIDE = new Color(0x55, 0x55, 0x55);
    /** One colour per story, none of them an implementation's red or blue of the single-question chart. */
    private static final Color[] STORY = {new Color(0xd6, 0x27, 0x28), new Color(0x2c, 0xa0, 0x2c),
        new Color(0xff, 0x7f, 0x0e), new Color(0x1f, 0x77, 0xb4)};
    private static final double STORY_3_MILLIS = 2 * 3600e3;
    /** The story chart's lowest risk: far below its 1e-6 target, so that each curve is seen to reach it. */
    private static final double STORIES_FLOOR = 1e-9;
    private static final Shape RING = new Ellipse2D.Double(-8, -8, 16, 16);
    private static final Shape DIAMOND = new Polygon(new int[] {0, 9, 0, -9}, new int[] {-9, 0, 9, 0}, 4);

    private TtlCharts() {
    }

    /**
     * Draws both charts into a directory.
     *
     * @param advisor the advisor that answered
     * @param advice its answer
     * @param latencySource what the latencies came from, for the subtitle, such as {@code no run given}
     * @param dir created when missing
     * @return the two files written
     * @throws UncheckedIOException when a file cannot be written
     */
    public static List<Path> write(TtlAdvisor advisor, TtlAdvice advice, String latencySource, Path dir) {
        ChartStyle style = ChartStyle.DEFAULT;
        return List.of(style.write(riskChart(advisor, advice, latencySource, style), dir.resolve(RISK_FILE)),
                style.write(recoveryChart(advisor, advice, style), dir.resolve(RECOVERY_FILE)));
    }

    static JFreeChart riskChart(TtlAdvisor advisor, TtlAdvice advice, String latencySource, ChartStyle style) {
        TtlQuestion question = advisor.question();
        double floor = Math.min(1e-9, question.risk() / 1e3);
        double from = Math.max(1, Math.min(advice.ttlMillis(), question.pauseMillis()
                + question.hold().quantile(0.5)) / 3);
        double to = Math.max(advice.ttlMillis() * 10, Double.isInfinite(advice.ttlWithoutWatchdogMillis())
                ? advice.ttlMillis() * 100 : advice.ttlWithoutWatchdogMillis() * 3);
        to = Math.min(to, TtlAdvisor.MAX_TTL_MILLIS);
        XYSeries without = new XYSeries("no watchdog");
        XYSeries with = new XYSeries("watchdog renewing every ttl/3 (under the red line until its cliff)");
        int points = 400;
        double belowFloorFrom = Double.NaN;
        for (int i = 0; i <= points; i++) {
            double ttl = from * Math.pow(to / from, (double) i / points);
            without.add(ttl, Math.max(floor, advisor.riskWithoutWatchdog(ttl)));
            double withWatchdog = advisor.riskWithWatchdog(ttl, ttl / 3);
            // The watchdog's risk falls off a cliff (to 0 once no renewal gap can reach the ttl): the line stops
            // at the chart's floor instead of running along the axis.
            if (Double.isNaN(belowFloorFrom)) {
                with.add(ttl, Math.max(floor, withWatchdog));
                if (withWatchdog < floor) {
                    belowFloorFrom = ttl;
                }
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(without);
        data.addSeries(with);

        LogAxis x = new DurationAxis("ttl (log scale)");
        x.setRange(from, to);
        LogAxis y = riskAxis(floor);
        XYPlot plot = plot(data, x, y, new Color[] {WITHOUT, WITH});

        ValueMarker target = new ValueMarker(question.risk(), GUIDE, dashed(1.5f));
        ChartStyle.label(target, "target " + risk(question.risk()), GUIDE, RectangleAnchor.TOP_RIGHT,
                TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(target, Layer.FOREGROUND);
        plot.addDomainMarker(ttlMarker(advice.ttlMillis(), "advised ttl " + DurationText.format(advice.ttlMillis()),
                WITH, RectangleAnchor.CENTER, TextAnchor.CENTER_LEFT), Layer.FOREGROUND);
        if (!Double.isInfinite(advice.ttlWithoutWatchdogMillis()) && advice.ttlWithoutWatchdogMillis() <= to) {
            plot.addDomainMarker(ttlMarker(advice.ttlWithoutWatchdogMillis(), "needed without a watchdog "
                    + DurationText.format(advice.ttlWithoutWatchdogMillis()), WITHOUT, RectangleAnchor.TOP_LEFT,
                    TextAnchor.TOP_RIGHT), Layer.FOREGROUND);
        }
        if (!Double.isNaN(belowFloorFrom)) {
            XYTextAnnotation cliff = new XYTextAnnotation("  with the watchdog: below " + risk(floor) + " from "
                    + DurationText.format(belowFloorFrom) + " on", belowFloorFrom, floor);
            cliff.setFont(ChartStyle.NOTE);
            cliff.setPaint(WITH);
            cliff.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addAnnotation(cliff);
        }
        JFreeChart chart = new JFreeChart("Risk that a lease expires while its holder works under it",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        return style(chart, "hold " + question.hold().givenPercentiles() + " (Pareto tail beyond); every section"
                + " stalls " + DurationText.format(question.pauseMillis()) + "; latency: " + latencySource, style);
    }

    static JFreeChart recoveryChart(TtlAdvisor advisor, TtlAdvice advice, ChartStyle style) {
        double from = Math.max(1, advice.ttlMillis() / 10.0);
        double to = STORY_3_MILLIS * 3;
        XYSeries worst = new XYSeries("up to the whole ttl: the lock stays blocked until the crashed holder's lease"
                + " runs out");
        int points = 100;
        for (int i = 0; i <= points; i++) {
            double ttl = from * Math.pow(to / from, (double) i / points);
            worst.add(ttl, ttl);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(worst);
        LogAxis x = new DurationAxis("ttl (log scale)");
        x.setRange(from, to);
        LogAxis y = new DurationAxis("time the lock stays blocked after its holder crashed (log scale)");
        y.setRange(from, to);
        XYPlot plot = plot(data, x, y, new Color[] {GUIDE});
        point(plot, advice.ttlMillis(), "advised: " + DurationText.format(advice.ttlMillis()), WITH,
                TextAnchor.BOTTOM_RIGHT);
        if (!Double.isInfinite(advice.ttlWithoutWatchdogMillis())) {
            point(plot, advice.ttlWithoutWatchdogMillis(), "no watchdog, same risk: "
                    + DurationText.format(advice.ttlWithoutWatchdogMillis()), WITHOUT, TextAnchor.BOTTOM_RIGHT);
        }
        point(plot, STORY_3_MILLIS, "story 3: a 2 h ttl locked a user out for 2 h", Color.BLACK,
                TextAnchor.BOTTOM_RIGHT);
        JFreeChart chart = new JFreeChart("The price of a long ttl: recovery after a crashed holder",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        return style(chart, "target risk " + risk(advisor.question().risk()) + "; with a watchdog a crash lands"
                + " mid-interval: ttl - renew/2 on average; a waiter retries as the lease runs out", style);
    }

    /**
     * Draws the report's chart of the four stories into a run's chart directory.
     *
     * @param examples the stories, asked and answered with the run's latency
     * @param where the machine, Redis and round trip of the run, and whose latency, for the subtitle
     * @param dir the charts directory; created when missing
     * @return the file written
     * @throws UncheckedIOException when it cannot be written
     */
    static Path writeStories(List<TtlGuidance.Example> examples, String where, Path dir) {
        ChartStyle style = ChartStyle.DEFAULT;
        return style.write(storiesChart(examples, where, style), dir.resolve(STORIES_FILE));
    }

    /**
     * The four stories on one chart: for each, the risk against the ttl with no renewal (solid) and with a watchdog
     * renewing every ttl/3 (dashed: it leaves the solid line at its cliff and drops to the floor), a ring at the ttl
     * the story ran with and a diamond at the advised ttl, on the curve that applies to each.
     */
    static JFreeChart storiesChart(List<TtlGuidance.Example> examples, String where, ChartStyle style) {
        double floor = STORIES_FLOOR;
        double from = Double.MAX_VALUE;
        double to = 0;
        for (TtlGuidance.Example example : examples) {
            TtlQuestion question = example.advisor().question();
            from = Math.min(from, Math.min(example.advice().ttlMillis(), question.pauseMillis()
                    + question.hold().quantile(0.5)));
            to = Math.max(to, Math.max(example.advice().ttlMillis(), Double.isNaN(example.story().storyTtlMillis())
                    ? 0 : example.story().storyTtlMillis()));
        }
        from = Math.max(1, from / 2);
        to = Math.min(TtlAdvisor.MAX_TTL_MILLIS, to * 3);
        XYSeriesCollection curves = new XYSeriesCollection();
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        XYSeriesCollection marks = new XYSeriesCollection();
        XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
        LegendItemCollection legend = new LegendItemCollection();
        for (TtlGuidance.Example example : examples) {
            TtlStory story = example.story();
            TtlAdvisor advisor = example.advisor();
            Color colour = STORY[(story.number() - 1) % STORY.length];
            XYSeries without = new XYSeries(story.id() + " without");
            XYSeries with = new XYSeries(story.id() + " with");
            int steps = 300;
            boolean withEnded = false;
            for (int i = 0; i <= steps; i++) {
                double ttl = from * Math.pow(to / from, (double) i / steps);
                without.add(ttl, Math.max(floor, advisor.riskWithoutWatchdog(ttl)));
                if (!withEnded) {
                    double risk = advisor.riskWithWatchdog(ttl, ttl / 3);
                    with.add(ttl, Math.max(floor, risk));
                    withEnded = risk < floor;
                }
            }
            int series = curves.getSeriesCount();
            curves.addSeries(without);
            curves.addSeries(with);
            lines.setSeriesPaint(series, colour);
            lines.setSeriesStroke(series, new BasicStroke(2.5f));
            lines.setSeriesPaint(series + 1, colour);
            lines.setSeriesStroke(series + 1, dashed(2.5f));

            TtlAdvice advice = example.advice();
            TtlQuestion question = advisor.question();
            String label = story.number() + " " + story.id() + ": stall " + DurationText.format(question.pauseMillis())
                    + ", hold p99 " + DurationText.format(question.hold().quantile(0.99)) + " -> advised "
                    + DurationText.format(advice.ttlMillis());
            if (!Double.isNaN(example.storyRisk())) {
                label += " (the story: " + DurationText.format(story.storyTtlMillis()) + ")";
                mark(marks, points, story.id() + " story", story.storyTtlMillis(),
                        Math.max(floor, example.storyRisk()), colour, false);
            }
            mark(marks, points, story.id() + " advised", advice.ttlMillis(), Math.max(floor,
                    advice.riskWithWatchdog()), colour, true);
            legend.add(new LegendItem(label, null, null, null, new Line2D.Double(-12, 0, 12, 0),
                    new BasicStroke(2.5f), colour));
        }
        legend.add(new LegendItem("no renewal", null, null, null, new Line2D.Double(-12, 0, 12, 0),
                new BasicStroke(2.5f), GUIDE));
        legend.add(new LegendItem("watchdog renewing every ttl/3", null, null, null, new Line2D.Double(-12, 0, 12, 0),
                dashed(2.5f), GUIDE));
        legend.add(new LegendItem("the ttl the story ran with", null, null, null, true, RING, false, GUIDE, true, GUIDE,
                new BasicStroke(2.5f), false, new Line2D.Double(), new BasicStroke(1f), GUIDE));
        legend.add(new LegendItem("the advised ttl (watchdog)", null, null, null, true, DIAMOND, true, GUIDE, false, GUIDE,
                new BasicStroke(1f), false, new Line2D.Double(), new BasicStroke(1f), GUIDE));

        LogAxis x = new DurationAxis("ttl (log scale)");
        x.setRange(from, to);
        LogAxis y = riskAxis(floor);
        XYPlot plot = new XYPlot(curves, x, y, lines);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setDataset(1, marks);
        plot.setRenderer(1, points);
        plot.setFixedLegendItems(legend);
        ValueMarker target = new ValueMarker(TtlStory.RISK, GUIDE, dashed(1.5f));
        ChartStyle.label(target, "target " + risk(TtlStory.RISK), GUIDE, RectangleAnchor.TOP_RIGHT,
                TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(target, Layer.BACKGROUND);
        JFreeChart chart = new JFreeChart("TTL risk for the four stories, with this run's latency",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        return style(chart, where + "; risks below " + risk(floor) + " drawn at the floor", style);
    }

    private static void mark(XYSeriesCollection marks, XYLineAndShapeRenderer points, String name, double ttl,
                             double risk, Color colour, boolean advised) {
        XYSeries series = new XYSeries(name);
        series.add(ttl, risk);
        int index = marks.getSeriesCount();
        marks.addSeries(series);
        points.setSeriesPaint(index, colour);
        points.setSeriesShape(index, advised ? DIAMOND : RING);
        points.setSeriesShapesFilled(index, advised);
        points.setSeriesOutlineStroke(index, new BasicStroke(2.5f));
    }

    private static XYPlot plot(XYSeriesCollection data, LogAxis x, LogAxis y, Color[] colours) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colours.length; i++) {
            renderer.setSeriesPaint(i, colours[i]);
            renderer.setSeriesStroke(i, i == 0 ? new BasicStroke(3f) : dashed(3f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        return plot;
    }

    private static void point(XYPlot plot, double millis, String label, Paint paint, TextAnchor anchor) {
        XYSeriesCollection marks = new XYSeriesCollection();
        XYSeries series = new XYSeries(label);
        series.add(millis, millis);
        marks.addSeries(series);
        int index = plot.getDatasetCount();
        plot.setDataset(index, marks);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setSeriesPaint(0, paint);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-6, -6, 12, 12));
        renderer.setSeriesVisibleInLegend(0, false);
        plot.setRenderer(index, renderer);
        XYTextAnnotation text = new XYTextAnnotation("  " + label + "  ", millis, millis);
        text.setFont(ChartStyle.NOTE);
        text.setPaint(paint);
        text.setTextAnchor(anchor);
        plot.addAnnotation(text);
    }

    private static ValueMarker ttlMarker(double millis, String label, Paint paint, RectangleAnchor anchor,
                                         TextAnchor textAnchor) {
        ValueMarker marker = new ValueMarker(millis, paint, dashed(1.5f));
        ChartStyle.label(marker, label, paint, anchor, textAnchor);
        marker.setLabelOffset(new RectangleInsets(8, 8, 8, 8));
        return marker;
    }

    /** The house style, with the legend below the plot: its entries are sentences, too long for the side. */
    private static JFreeChart style(JFreeChart chart, String subtitle, ChartStyle style) {
        style.apply(chart, subtitle);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    private static Stroke dashed(float width) {
        return ChartStyle.dashed(width);
    }

    static String risk(double risk) {
        return String.format(Locale.ROOT, "%.0e", risk).replace("e-0", "e-");
    }

    /**
     * A logarithmic millisecond axis ticked at round durations (1 ms, 10 ms, 100 ms, 1 s, 10 s, 1 min, 10 min,
     * 1 h ...) rather than at powers of ten, which read as 1.67 min or 2.78 h.
     */
    private static final class DurationAxis extends LogAxis {
        private static final long serialVersionUID = 1L;
        private static final double[] ROUND = {1e-3, 1e-2, 0.1, 1, 10, 100, 1e3, 10e3, 60e3, 600e3, 3600e3,
            10 * 3600e3, 24 * 3600e3};
        /** Between the round ones, on an axis short enough to have room for them. */
        private static final double[] BETWEEN = {0.2, 0.5, 2, 5, 20, 50, 200, 500, 2e3, 5e3, 20e3, 30e3, 120e3,
            300e3, 1800e3, 2 * 3600e3, 5 * 3600e3};

        DurationAxis(String label) {
            super(label);
            setBase(10);
            setSmallestValue(1e-3);
        }

        @Override
        protected List<NumberTick> refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            return ticks(edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
        }

        @Override
        protected List<NumberTick> refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            return ticks(edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT);
        }

        private List<NumberTick> ticks(TextAnchor anchor) {
            List<NumberTick> ticks = new ArrayList<>();
            boolean room = getUpperBound() / getLowerBound() < 1e4;
            for (double[] values : room ? List.of(ROUND, BETWEEN) : List.of(ROUND)) {
                for (double value : values) {
                    if (value >= getLowerBound() && value <= getUpperBound()) {
                        ticks.add(new NumberTick(TickType.MAJOR, value, DurationText.format(value), anchor, anchor,
                                0));
                    }
                }
            }
            return ticks;
        }
    }

    /** Tick labels of a probability axis: 1, 1e-3, 1e-6. */
    private static final class PowerOfTenFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
            return toAppendTo.append(number >= 0.999 ? "1" : risk(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
            return format((double) number, toAppendTo, pos);
        }

        @Override
        public Number parse(String source, ParsePosition parsePosition) {
            throw new UnsupportedOperationException("tick labels are only written");
        }
    }

    /** The probability axis of both risk charts: powers of ten from half the floor up to 1. */
    private static LogAxis riskAxis(double floor) {
        LogAxis y = new LogAxis("P(lease expires while held), per section (log scale)");
        y.setBase(10);
        y.setSmallestValue(floor / 2);
        y.setRange(floor / 2, 2);
        y.setNumberFormatOverride(new PowerOfTenFormat());
        y.setTickUnit(new NumberTickUnit(1));
        return y;
    }
}
