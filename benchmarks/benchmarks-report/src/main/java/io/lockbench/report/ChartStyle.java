package io.lockbench.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How every chart looks: its size, fonts, grid, and one fixed colour per implementation, so that Jedis is the
 * same blue in every chart of every run. The naive implementations get muted colours and a dashed line, set
 * apart from the correct ones as the tables set them apart.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 */
public record ChartStyle(int width, int height) {

    /** The style of every chart the reporter draws. */
    public static final ChartStyle DEFAULT = new ChartStyle(1000, 600);

    /** The implementations lockbench registers, each with its colour. */
    private static final Map<String, Color> KNOWN = Map.ofEntries(
            Map.entry("jedis", new Color(0x1f77b4)),
            Map.entry("lettuce", new Color(0x2ca02c)),
            Map.entry("redisson", new Color(0xd62728)),
            Map.entry("redlock", new Color(0x9467bd)),
            Map.entry("spring-spin", new Color(0x17a589)),
            Map.entry("spring-pubsub", new Color(0x1a5276)),
            Map.entry("fifo", new Color(0xff7f0e)),
            Map.entry("naive-setnx", new Color(0x8c564b)),
            Map.entry("naive-pexpire", new Color(0xe377c2)),
            Map.entry("naive-setnx-expire", new Color(0xbcbd22)),
            Map.entry("naive-timeout-is-failure", new Color(0x7f7f7f)));

    /** For an implementation lockbench does not know (a user's own provider): a colour none of the above has. */
    private static final List<Color> OTHERS = List.of(new Color(0x17becf),
            new Color(0x393b79), new Color(0x637939), new Color(0x843c39));

    /** The colour of the round-trip bound drawn into throughput charts. */
    public static final Color BOUND = Color.BLACK;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    /** Text drawn into a plot: marker labels, annotations, heat-map cells. */
    static final Font NOTE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Color GRID = new Color(0xcccccc);

    static {
        // Charts are drawn on servers and in CI without a display; AWT reads this once, before first use.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * The colour of an implementation, the same in every chart.
     *
     * @param implementation a registered name; {@code client:jedis} (a baseline row) takes the client's colour
     * @return its colour
     */
    public static Color colour(String implementation) {
        String name = implementation.startsWith("client:") ? implementation.substring("client:".length())
                : implementation;
        Color known = KNOWN.get(name);
        return known != null ? known : OTHERS.get(Math.floorMod(name.hashCode(), OTHERS.size()));
    }

    /**
     * The line of an implementation: solid, dashed for the naive ones.
     *
     * @param implementation a registered name
     * @return its stroke
     */
    public static Stroke stroke(String implementation) {
        return SummaryRow.unsafe(implementation) ? dashed(2f, 6f, 4f) : new BasicStroke(2.5f);
    }

    /**
     * The legend label of an implementation: the naive ones say they are unsafe.
     *
     * @param implementation a registered name
     * @return its label
     */
    public static String label(String implementation) {
        return SummaryRow.unsafe(implementation) ? implementation + " (unsafe)" : implementation;
    }

    /**
     * The dashed stroke of a bound line.
     *
     * @return the stroke
     */
    public static Stroke boundStroke() {
        return dashed(2f, 10f, 5f);
    }

    /**
     * The dashed stroke of a guide line or a second curve: a target, a marked value, a watchdog's risk.
     *
     * @param width the line width
     * @return the stroke
     */
    static Stroke dashed(float width) {
        return dashed(width, 8f, 6f);
    }

    private static Stroke dashed(float width, float dash, float gap) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {dash, gap}, 0f);
    }

    /**
     * Applies fonts, background, grid and the subtitle saying where the figures were measured.
     *
     * @param chart the chart
     * @param where machine, Redis and round trip, such as {@link RunEnvironment#where()} gives
     * @return the chart
     */
    JFreeChart apply(JFreeChart chart, String where) {
        chart.getTitle().setFont(TITLE);
        chart.addSubtitle(new TextTitle(where, SUBTITLE));
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LABEL);
            legend.setPosition(RectangleEdge.RIGHT);
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof CombinedRangeXYPlot combined) {
            fonts(combined.getRangeAxis());
        } else if (plot instanceof XYPlot xy) {
            grid(xy.getDomainAxis(), xy.getRangeAxis());
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
        } else if (plot instanceof CategoryPlot category) {
            grid(category.getDomainAxis(), category.getRangeAxis());
            category.setRangeGridlinePaint(GRID);
        }
        return chart;
    }

    private static void grid(org.jfree.chart.axis.Axis domain, org.jfree.chart.axis.Axis range) {
        fonts(domain);
        fonts(range);
    }

    /**
     * Gives an axis the house fonts; for the panels of a combined plot, which {@link #apply} does not reach.
     *
     * @param axis the axis
     */
    static void fonts(org.jfree.chart.axis.Axis axis) {
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(TICK);
    }

    /**
     * Labels a marker line in the house style: bold, in the line's colour, on a white ground so that grid lines and
     * curves behind it do not cut through the text (JFreeChart's default ground is grey).
     *
     * @param marker the marker
     * @param text its label
     * @param paint the label's colour
     * @param anchor where on the line the label sits
     * @param textAnchor which point of the text is at that place
     * @return the marker
     */
    static ValueMarker label(ValueMarker marker, String text, Paint paint, RectangleAnchor anchor,
                             TextAnchor textAnchor) {
        marker.setLabel(text);
        marker.setLabelFont(NOTE);
        marker.setLabelPaint(paint);
        marker.setLabelBackgroundColor(new Color(255, 255, 255, 230));
        marker.setLabelAnchor(anchor);
        marker.setLabelTextAnchor(textAnchor);
        return marker;
    }

    /**
     * Writes a chart as a PNG of this style's size.
     *
     * @param chart the chart
     * @param file the file; its directory is created when missing
     * @return the file
     * @throws UncheckedIOException when it cannot be written
     */
    Path write(JFreeChart chart, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
        return file;
    }

    /**
     * The fill of a cell of the safety heat map.
     *
     * @param violations the cell's violations, or -1 for a cell that did not run
     * @return white-grey for not run, green for none, shades of red growing with the count
     */
    static Paint heat(long violations) {
        if (violations < 0) {
            return new Color(0xeeeeee);
        }
        if (violations == 0) {
            return new Color(0xa1d99b);
        }
        float strength = (float) Math.min(1.0, Math.log1p(violations) / Math.log1p(20));
        return new Color(1f, 0.85f - 0.65f * strength, 0.75f - 0.65f * strength);
    }
}
