package org.statespace.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.RoundRectangle2D;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.statespace.DataException;

/**
 * Draws an unrolled {@link LoopGraph} with Java2D: one column per time step (t grows to the right), one
 * row per layer (layer 0 at the bottom), a box per node. Edges within a step are grey, recurrent edges
 * (same layer, later step) blue, feedback edges (to a lower layer at a later step) vermillion and
 * delayed forward edges green; an edge that would run through other boxes (a skip connection, a delay
 * of 2 or more) is drawn as a curve, and every delayed edge other than a plain one-step recurrence is
 * labelled with its delay, so a feedback loop stands out from the grid.
 *
 * <p>Entry points: {@link #drawing} (for {@link PlotFiles} or a report), {@link #png}, {@link #svg},
 * {@link #writePng}, {@link #writeSvg}; {@link LoopGraphDot#of} writes the same graph for Graphviz.
 */
public final class LoopGraphChart {
    /** Columns drawn at most (time steps); a longer unrolling is an error. */
    public static final int MAX_STEPS = 60;

    static final int COLUMN = 150;
    static final int ROW = 120;
    static final int BOX_W = 92;
    static final int BOX_H = 40;
    static final int LEFT = 130;
    static final int TOP = 86;
    static final int LEGEND = 64;
    static final int MARGIN = 24;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LAYER = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    /** How an edge relates the layers and steps it joins. */
    enum Kind {
        SAME_STEP(new Color(90, 90, 90), "within a step (delay 0)"),
        RECURRENT(new Color(0, 114, 178), "recurrent: same layer, later step"),
        FEEDBACK(new Color(213, 94, 0), "feedback: to a lower layer, later step"),
        DELAYED_FORWARD(new Color(0, 158, 115), "delayed: to a higher layer, later step");

        final Color color;
        final String description;

        Kind(Color color, String description) {
            this.color = color;
            this.description = description;
        }
    }

    private LoopGraphChart() {
    }

    /** The graph as a drawing; its size grows with the steps and layers shown. */
    public static Drawing drawing(LoopGraph graph) {
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (LoopGraph.Node n : graph.nodes()) {
            first = Math.min(first, n.time());
            last = Math.max(last, n.time());
        }
        int steps = last - first + 1;
        if (steps > MAX_STEPS) {
            throw new DataException("the unrolled graph spans " + steps + " steps; at most " + MAX_STEPS
                    + " are drawn (unroll fewer steps)");
        }
        return new GraphDrawing(graph, first, steps);
    }

    /** PNG bytes of the graph. */
    public static byte[] png(LoopGraph graph) {
        return PlotFiles.png(drawing(graph));
    }

    /** SVG text of the graph. */
    public static String svg(LoopGraph graph) {
        return PlotFiles.svg(drawing(graph));
    }

    /** Writes the graph as a PNG file. */
    public static void writePng(LoopGraph graph, Path file) {
        PlotFiles.writePng(drawing(graph), file);
    }

    /** Writes the graph as an SVG file. */
    public static void writeSvg(LoopGraph graph, Path file) {
        PlotFiles.writeSvg(drawing(graph), file);
    }

    static Kind kind(LoopGraph graph, LoopGraph.Edge e) {
        if (e.delay() == 0) {
            return Kind.SAME_STEP;
        }
        int from = graph.nodes().get(e.from()).layer();
        int to = graph.nodes().get(e.to()).layer();
        return from == to ? Kind.RECURRENT : to < from ? Kind.FEEDBACK : Kind.DELAYED_FORWARD;
    }

    /** Whether an edge is drawn straight: an adjacent layer within a step, or a one-step recurrence. */
    static boolean straight(LoopGraph graph, LoopGraph.Edge e) {
        int dl = graph.nodes().get(e.to()).layer() - graph.nodes().get(e.from()).layer();
        return e.delay() == 0 ? Math.abs(dl) == 1 : e.delay() == 1 && dl == 0;
    }

    private record GraphDrawing(LoopGraph graph, int firstStep, int steps) implements Drawing {

        @Override
        public int width() {
            return LEFT + steps * COLUMN + MARGIN;
        }

        @Override
        public int height() {
            return TOP + graph.layers() * ROW + LEGEND + MARGIN;
        }

        double x(LoopGraph.Node n) {
            return LEFT + (n.time() - firstStep + 0.5) * COLUMN;
        }

        double y(LoopGraph.Node n) {
            return TOP + (graph.layers() - 1 - n.layer() + 0.5) * ROW;
        }

        @Override
        public void paint(Graphics2D g) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width(), height());
            g.setColor(Color.BLACK);
            g.setFont(TITLE);
            g.drawString(graph.title(), MARGIN, 32);
            paintGrid(g);
            Set<Kind> used = EnumSet.noneOf(Kind.class);
            boolean labelled = false;
            for (LoopGraph.Edge e : graph.edges()) {
                Kind k = kind(graph, e);
                used.add(k);
                labelled |= paintEdge(g, e, k);
            }
            for (LoopGraph.Node n : graph.nodes()) {
                paintNode(g, n);
            }
            paintLegend(g, used, labelled);
        }

        private void paintGrid(Graphics2D g) {
            g.setFont(SMALL);
            FontMetrics fm = g.getFontMetrics();
            for (int c = 0; c < steps; c++) {
                double cx = LEFT + (c + 0.5) * COLUMN;
                String s = "t = " + (firstStep + c);
                g.setColor(new Color(80, 80, 80));
                g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), TOP - 14);
                g.setColor(new Color(236, 236, 236));
                g.fillRect((int) (cx - COLUMN / 2.0) + 4, TOP - 6, COLUMN - 8, 4);
            }
            g.setFont(LAYER);
            for (int l = 0; l < graph.layers(); l++) {
                double cy = TOP + (graph.layers() - 1 - l + 0.5) * ROW;
                g.setColor(new Color(50, 50, 50));
                g.drawString(graph.layerName(l), MARGIN, (float) cy + 5);
            }
        }

        private void paintNode(Graphics2D g, LoopGraph.Node n) {
            double cx = x(n);
            double cy = y(n);
            RoundRectangle2D box = new RoundRectangle2D.Double(cx - BOX_W / 2.0, cy - BOX_H / 2.0, BOX_W, BOX_H, 14, 14);
            g.setColor(new Color(245, 248, 252));
            g.fill(box);
            g.setColor(new Color(40, 40, 40));
            g.setStroke(new BasicStroke(1.5f));
            g.draw(box);
            g.setFont(LABEL);
            FontMetrics fm = g.getFontMetrics();
            String label = fit(n.label(), fm, BOX_W - 10);
            g.drawString(label, (float) (cx - fm.stringWidth(label) / 2.0), (float) (cy + fm.getAscent() / 2.0 - 2));
        }

        private String fit(String s, FontMetrics fm, int width) {
            if (fm.stringWidth(s) <= width) {
                return s;
            }
            String t = s;
            while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
                t = t.substring(0, t.length() - 1);
            }
            return t + "…";
        }

        /** Paints an edge; returns whether it carries a delay label. */
        private boolean paintEdge(Graphics2D g, LoopGraph.Edge e, Kind kind) {
            LoopGraph.Node a = graph.nodes().get(e.from());
            LoopGraph.Node b = graph.nodes().get(e.to());
            Point2D.Double p0 = new Point2D.Double(x(a), y(a));
            Point2D.Double p2 = new Point2D.Double(x(b), y(b));
            Point2D.Double control;
            if (e.from() == e.to()) {
                return false;
            }
            if (straight(graph, e)) {
                control = new Point2D.Double((p0.x + p2.x) / 2, (p0.y + p2.y) / 2);
            } else {
                double dx = p2.x - p0.x;
                double dy = p2.y - p0.y;
                double len = Math.hypot(dx, dy);
                double bow = kind == Kind.FEEDBACK ? 0.22 : 0.32;
                // bow to the left of the direction of travel (above for rightward edges)
                control = new Point2D.Double((p0.x + p2.x) / 2 + dy / len * bow * len,
                        (p0.y + p2.y) / 2 - dx / len * bow * len);
                if (kind == Kind.SAME_STEP) {
                    control = new Point2D.Double((p0.x + p2.x) / 2 - 0.45 * COLUMN, (p0.y + p2.y) / 2);
                }
            }
            Point2D.Double start = border(p0, control);
            Point2D.Double end = border(p2, control);
            g.setColor(kind.color);
            g.setStroke(new BasicStroke(kind == Kind.FEEDBACK ? 2.4f : 1.8f, BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND));
            g.draw(new QuadCurve2D.Double(start.x, start.y, control.x, control.y, end.x, end.y));
            arrowHead(g, control, end);
            boolean label = e.delay() >= 1 && !(kind == Kind.RECURRENT && e.delay() == 1);
            if (label) {
                double mx = 0.25 * start.x + 0.5 * control.x + 0.25 * end.x;
                double my = 0.25 * start.y + 0.5 * control.y + 0.25 * end.y;
                String text = "d=" + e.delay();
                g.setFont(SMALL);
                FontMetrics fm = g.getFontMetrics();
                int w = fm.stringWidth(text) + 8;
                int h = fm.getHeight();
                g.setColor(Color.WHITE);
                g.fillRoundRect((int) (mx - w / 2.0), (int) (my - h / 2.0), w, h, 6, 6);
                g.setColor(kind.color);
                g.drawRoundRect((int) (mx - w / 2.0), (int) (my - h / 2.0), w, h, 6, 6);
                g.drawString(text, (float) (mx - fm.stringWidth(text) / 2.0), (float) (my + fm.getAscent() / 2.0 - 2));
            }
            return label;
        }

        /** Where the ray from a box's centre towards {@code toward} leaves the box (plus a small gap). */
        private Point2D.Double border(Point2D.Double centre, Point2D.Double toward) {
            double dx = toward.x - centre.x;
            double dy = toward.y - centre.y;
            if (dx == 0 && dy == 0) {
                return centre;
            }
            double sx = dx == 0 ? Double.POSITIVE_INFINITY : (BOX_W / 2.0 + 3) / Math.abs(dx);
            double sy = dy == 0 ? Double.POSITIVE_INFINITY : (BOX_H / 2.0 + 3) / Math.abs(dy);
            double s = Math.min(sx, sy);
            return new Point2D.Double(centre.x + s * dx, centre.y + s * dy);
        }

        private void arrowHead(Graphics2D g, Point2D.Double from, Point2D.Double tip) {
            double dx = tip.x - from.x;
            double dy = tip.y - from.y;
            double len = Math.hypot(dx, dy);
            if (len == 0) {
                return;
            }
            double ux = dx / len;
            double uy = dy / len;
            double size = 11;
            Path2D.Double head = new Path2D.Double();
            head.moveTo(tip.x, tip.y);
            head.lineTo(tip.x - size * ux + size * 0.45 * uy, tip.y - size * uy - size * 0.45 * ux);
            head.lineTo(tip.x - size * ux - size * 0.45 * uy, tip.y - size * uy + size * 0.45 * ux);
            head.closePath();
            g.fill(head);
        }

        private void paintLegend(Graphics2D g, Set<Kind> used, boolean labelled) {
            int y = TOP + graph.layers() * ROW + 26;
            int x = MARGIN;
            g.setFont(SMALL);
            FontMetrics fm = g.getFontMetrics();
            for (Kind k : used) {
                g.setColor(k.color);
                g.setStroke(new BasicStroke(k == Kind.FEEDBACK ? 2.4f : 1.8f));
                g.drawLine(x, y - 4, x + 34, y - 4);
                g.fillPolygon(new int[] {x + 36, x + 27, x + 27}, new int[] {y - 4, y - 9, y + 1}, 3);
                g.setColor(new Color(40, 40, 40));
                g.drawString(k.description, x + 44, y);
                x += 44 + fm.stringWidth(k.description) + 28;
                if (x > width() - 260) {
                    x = MARGIN;
                    y += 22;
                }
            }
            if (labelled) {
                g.setColor(new Color(40, 40, 40));
                g.drawString(String.format(Locale.ROOT, "d=k: the edge's delay in steps"), x, y);
            }
        }
    }
}
