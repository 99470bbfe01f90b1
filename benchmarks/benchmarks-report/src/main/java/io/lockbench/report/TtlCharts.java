package io.lockbench.ttl;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The advisor's two charts, as PNG files: the risk that a lease expires while held against the ttl (log-log,
 * with and without a watchdog, the target and the advised ttl drawn in), and the recovery time after a crashed
 * holder against the ttl (the price of a long ttl, with story 3's two hours marked). Draws headless.
 */
public final class TtlCharts {

    /** The risk chart's file name. */
    public static final String RISK_FILE = "ttl-risk.png";
    /** The recovery chart's file name. */
    public static final String RECOVERY_FILE = "ttl-recovery.png";

    static final int WIDTH = 1100;
    static final int HEIGHT = 650;

    private static final Color WITHOUT = new Color(0xD6, 0x27, 0x28);
    private static final Color WITH = new Color(0x1F, 0x77, 0xB4);
    private static final Color GUIDE = new Color(0x55, 0x55, 0x55);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font NOTE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final double STORY_3_MILLIS = 2 * 3600e3;

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
        try {
            Files.createDirectories(dir);
            Path risk = dir.resolve(RISK_FILE);
            Path recovery = dir.resolve(RECOVERY_FILE);
            ChartUtils.saveChartAsPNG(risk.toFile(), riskChart(advisor, advice, latencySource), WIDTH, HEIGHT);
            ChartUtils.saveChartAsPNG(recovery.toFile(), recoveryChart(advisor, advice), WIDTH, HEIGHT);
            return List.of(risk, recovery);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ttl charts into " + dir + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")", e);
        }
    }

    static JFreeChart riskChart(TtlAdvisor advisor, TtlAdvice advice, String latencySource) {
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
        LogAxis y = new LogAxis("P(lease expires while held), per section (log scale)");
        y.setBase(10);
        y.setSmallestValue(floor / 2);
        y.setRange(floor / 2, 2);
        y.setNumberFormatOverride(new PowerOfTenFormat());
        y.setTickUnit(new NumberTickUnit(1));
        XYPlot plot = plot(data, x, y, new Color[] {WITHOUT, WITH});

        ValueMarker target = new ValueMarker(question.risk(), GUIDE, dashed(1.5f));
        target.setLabel("target " + risk(question.risk()));
        target.setLabelFont(NOTE);
        target.setLabelPaint(GUIDE);
        target.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        target.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
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
            cliff.setFont(NOTE);
            cliff.setPaint(WITH);
            cliff.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addAnnotation(cliff);
        }
        JFreeChart chart = new JFreeChart("Risk that a lease expires while its holder works under it", TITLE, plot,
                true);
        subtitle(chart, "hold " + question.hold().givenPercentiles() + " (Pareto tail beyond); every section stalls "
                + DurationText.format(question.pauseMillis()) + "; latency: " + latencySource);
        return style(chart);
    }

    static JFreeChart recoveryChart(TtlAdvisor advisor, TtlAdvice advice) {
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
        JFreeChart chart = new JFreeChart("The price of a long ttl: recovery after a crashed holder", TITLE, plot,
                true);
        subtitle(chart, "target risk " + risk(advisor.question().risk()) + "; with a watchdog a crash lands mid-interval:"
                + " ttl - renew/2 on average; a waiter retries as the lease runs out");
        return style(chart);
    }

    private static XYPlot plot(XYSeriesCollection data, LogAxis x, LogAxis y, Color[] colours) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colours.length; i++) {
            renderer.setSeriesPaint(i, colours[i]);
            renderer.setSeriesStroke(i, i == 0 ? new BasicStroke(3f) : dashed(3f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
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
        text.setFont(NOTE);
        text.setPaint(paint);
        text.setTextAnchor(anchor);
        plot.addAnnotation(text);
    }

    private static ValueMarker ttlMarker(double millis, String label, Paint paint, RectangleAnchor anchor,
                                         TextAnchor textAnchor) {
        ValueMarker marker = new ValueMarker(millis, paint, dashed(1.5f));
        marker.setLabel(label);
        marker.setLabelFont(NOTE);
        marker.setLabelPaint(paint);
        marker.setLabelAnchor(anchor);
        marker.setLabelTextAnchor(textAnchor);
        marker.setLabelOffset(new RectangleInsets(8, 8, 8, 8));
        return marker;
    }

    private static void subtitle(JFreeChart chart, String text) {
        TextTitle subtitle = new TextTitle(text, SUBTITLE);
        subtitle.setPaint(GUIDE);
        chart.addSubtitle(subtitle);
    }

    private static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        for (var axis : List.of(plot.getDomainAxis(), plot.getRangeAxis())) {
            axis.setLabelFont(AXIS);
            axis.setTickLabelFont(TICKS);
        }
        chart.getLegend().setItemFont(SUBTITLE);
        return chart;
    }

    private static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f);
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
}
