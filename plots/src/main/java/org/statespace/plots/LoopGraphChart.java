package org.statespace.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.statespace.DataException;

/**
 * Draws an unrolled {@link LoopGraphLayout} with Java2D, one row per layer (layer 0 at the bottom) and a box per
 * node showing its label and, on a second line, its detail (an RNN's cell type and size), in one of two
 * {@link Layout}s:
 * <ul>
 *   <li>{@link Layout#TIME}: one column per time step (t grows to the right), so a plain stack is a grid
 *       and any other connection is a diagonal across it;</li>
 *   <li>{@link Layout#DEPTH}: one column per depth, the longest path (in edges) from the inputs to the
 *       node (longest-path layering; a node without inputs sits just before its first consumer, and the
 *       nodes of a row keep their time order). A column is then a set of nodes that can be computed at
 *       once: a plain stack becomes a sheared grid, while a loop between layers spreads its layers over
 *       two or more columns per step, so the graph visibly is not a grid.</li>
 * </ul>
 * Edges within a step are grey, recurrent edges (same layer, later step) blue, feedback edges (to a lower
 * layer at a later step) vermillion and delayed forward edges green; an edge whose straight line would run
 * through another box is drawn as a curve bowed around the boxes, and every delayed edge other than a plain
 * one-step recurrence is labelled with its delay. Labels are placed where they cover no box (and no other
 * label): along their edge if there is room, else in the free band between two rows.
 *
 * <p>Entry points: {@link #drawing} (for {@link PlotFiles} or a report), {@link #png}, {@link #svg},
 * {@link #writePng}, {@link #writeSvg}; {@link LoopGraphDot#of} writes the same graph for Graphviz.
 */
public final class LoopGraphChart {
    /** Columns drawn at most (time steps); a longer unrolling is an error. */
    public static final int MAX_STEPS = 60;
    /** Columns drawn at most in the depth layout. */
    public static final int MAX_COLUMNS = 160;

    static final int COLUMN = 150;
    static final int DEPTH_COLUMN = 124;
    static final int ROW = 120;
    static final int BOX_W = 92;
    static final int BOX_H = 44;
    static final int LEFT = 130;
    static final int TOP = 86;
    static final int LEGEND = 64;
    static final int MARGIN = 24;
    /** Clearance kept between a label and any box, in pixels. */
    static final double CLEARANCE = 3;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font DETAIL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LAYER = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final FontRenderContext MEASURE = new FontRenderContext(null, true, true);

    /** How the columns are chosen. */
    public enum Layout {
        /** One column per time step. */
        TIME,
        /** One column per depth: the longest path from the inputs (longest-path layering). */
        DEPTH
    }

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

    /** An edge's quadratic curve, from the border of its source box to the border of its target box. */
    record Curve(Point2D.Double start, Point2D.Double control, Point2D.Double end) {
        Point2D.Double at(double s) {
            double a = (1 - s) * (1 - s);
            double b = 2 * (1 - s) * s;
            double c = s * s;
            return new Point2D.Double(a * start.x + b * control.x + c * end.x, a * start.y + b * control.y + c * end.y);
        }
    }

    /**
     * Where everything goes: the canvas size, the column of every node, node boxes, edge curves and
     * label boxes ({@code null} for an edge without a label), all in canvas pixels.
     */
    record Placement(Layout layout, int width, int height, int columns, int firstStep, int[] column, Rectangle2D[] boxes,
            Curve[] curves, Rectangle2D[] labels, String[] labelTexts) {
    }

    private LoopGraphChart() {
    }

    /** The graph as a drawing in the time layout; its size grows with the steps and layers shown. */
    public static Drawing drawing(LoopGraphLayout graph) {
        return drawing(graph, Layout.TIME);
    }

    /** The graph as a drawing in the given layout. */
    public static Drawing drawing(LoopGraphLayout graph, Layout layout) {
        return new GraphDrawing(graph, place(graph, layout));
    }

    /** PNG bytes of the graph (time layout). */
    public static byte[] png(LoopGraphLayout graph) {
        return PlotFiles.png(drawing(graph));
    }

    /** SVG text of the graph (time layout). */
    public static String svg(LoopGraphLayout graph) {
        return PlotFiles.svg(drawing(graph));
    }

    /** Writes the graph as a PNG file (time layout). */
    public static void writePng(LoopGraphLayout graph, Path file) {
        PlotFiles.writePng(drawing(graph), file);
    }

    /** Writes the graph as an SVG file (time layout). */
    public static void writeSvg(LoopGraphLayout graph, Path file) {
        PlotFiles.writeSvg(drawing(graph), file);
    }

    static Kind kind(LoopGraphLayout graph, LoopGraphLayout.Edge e) {
        if (e.delay() == 0) {
            return Kind.SAME_STEP;
        }
        int from = graph.nodes().get(e.from()).layer();
        int to = graph.nodes().get(e.to()).layer();
        return from == to ? Kind.RECURRENT : to < from ? Kind.FEEDBACK : Kind.DELAYED_FORWARD;
    }

    /** Whether an edge is drawn straight: an adjacent layer within a step, or a one-step recurrence. */
    static boolean straight(LoopGraphLayout graph, LoopGraphLayout.Edge e) {
        int dl = graph.nodes().get(e.to()).layer() - graph.nodes().get(e.from()).layer();
        return e.delay() == 0 ? Math.abs(dl) == 1 : e.delay() == 1 && dl == 0;
    }

    /** Whether an edge carries a delay label: every delayed edge but a plain one-step recurrence. */
    static boolean labelled(LoopGraphLayout graph, LoopGraphLayout.Edge e) {
        return e.delay() >= 1 && !(kind(graph, e) == Kind.RECURRENT && e.delay() == 1);
    }

    // ----------------------------------------------------------------------------------------------
    // placement

    /**
     * Lays the graph out: columns by time or by depth, boxes, curves that avoid the boxes they do not join
     * where a bow can, and label boxes that overlap no node box (and no other label).
     *
     * @throws DataException when there are more steps ({@link #MAX_STEPS}) or depths ({@link #MAX_COLUMNS})
     *         than are drawn, or, for the depth layout, a cycle of delay-0 edges
     */
    static Placement place(LoopGraphLayout graph, Layout layout) {
        List<LoopGraphLayout.Node> nodes = graph.nodes();
        int n = nodes.size();
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (LoopGraphLayout.Node node : nodes) {
            first = Math.min(first, node.time());
            last = Math.max(last, node.time());
        }
        int steps = last - first + 1;
        if (steps > MAX_STEPS) {
            throw new DataException("the unrolled graph spans " + steps + " steps; at most " + MAX_STEPS
                    + " are drawn (unroll fewer steps)");
        }
        int[] column = new int[n];
        if (layout == Layout.TIME) {
            for (int i = 0; i < n; i++) {
                column[i] = nodes.get(i).time() - first;
            }
        } else {
            column = depthColumns(graph);
        }
        int columns = 0;
        for (int c : column) {
            columns = Math.max(columns, c + 1);
        }
        if (columns > MAX_COLUMNS) {
            throw new DataException("the depth layout needs " + columns + " columns; at most " + MAX_COLUMNS
                    + " are drawn (unroll fewer steps)");
        }
        int columnWidth = layout == Layout.TIME ? COLUMN : DEPTH_COLUMN;
        int layers = graph.layers();
        int width = LEFT + columns * columnWidth + MARGIN;
        int height = TOP + layers * ROW + LEGEND + MARGIN + (layout == Layout.DEPTH ? 22 : 0);
        Rectangle2D[] boxes = new Rectangle2D[n];
        for (int i = 0; i < n; i++) {
            double cx = LEFT + (column[i] + 0.5) * columnWidth;
            double cy = TOP + (layers - 1 - nodes.get(i).layer() + 0.5) * ROW;
            boxes[i] = new Rectangle2D.Double(cx - BOX_W / 2.0, cy - BOX_H / 2.0, BOX_W, BOX_H);
        }
        List<LoopGraphLayout.Edge> edges = graph.edges();
        Curve[] curves = new Curve[edges.size()];
        for (int k = 0; k < edges.size(); k++) {
            curves[k] = route(graph, edges.get(k), boxes, layout, columnWidth);
        }
        Rectangle2D[] labels = new Rectangle2D[edges.size()];
        String[] texts = new String[edges.size()];
        List<Rectangle2D> placed = new ArrayList<>();
        double labelHeight = Math.ceil(SMALL.getLineMetrics("d=0", MEASURE).getHeight()) + 2;
        for (int k = 0; k < edges.size(); k++) {
            LoopGraphLayout.Edge e = edges.get(k);
            if (curves[k] == null || !labelled(graph, e)) {
                continue;
            }
            texts[k] = "d=" + e.delay();
            double w = Math.ceil(SMALL.getStringBounds(texts[k], MEASURE).getWidth()) + 10;
            labels[k] = placeLabel(curves[k], w, labelHeight, boxes, placed, layers, width);
            placed.add(labels[k]);
        }
        return new Placement(layout, width, height, columns, first, column, boxes, curves, labels, texts);
    }

    /**
     * Longest-path layering: every node one column after its latest predecessor, and after the node
     * before it in its row (rows keep their time order, so no two nodes of a row share a column); then
     * nodes without incoming edges move right to just before their first consumer.
     */
    static int[] depthColumns(LoopGraphLayout graph) {
        List<LoopGraphLayout.Node> nodes = graph.nodes();
        int n = nodes.size();
        List<List<Integer>> next = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            next.add(new ArrayList<>());
        }
        boolean[] hasInput = new boolean[n];
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            consumers.add(new ArrayList<>());
        }
        for (LoopGraphLayout.Edge e : graph.edges()) {
            next.get(e.from()).add(e.to());
            consumers.get(e.from()).add(e.to());
            hasInput[e.to()] = true;
        }
        // row order: consecutive nodes of a row (by time, then index)
        Map<Integer, List<Integer>> rows = new HashMap<>();
        for (int i = 0; i < n; i++) {
            rows.computeIfAbsent(nodes.get(i).layer(), r -> new ArrayList<>()).add(i);
        }
        int[] nextInRow = new int[n];
        Arrays.fill(nextInRow, -1);
        for (List<Integer> row : rows.values()) {
            row.sort((a, b) -> nodes.get(a).time() != nodes.get(b).time()
                    ? Integer.compare(nodes.get(a).time(), nodes.get(b).time()) : Integer.compare(a, b));
            for (int k = 0; k + 1 < row.size(); k++) {
                next.get(row.get(k)).add(row.get(k + 1));
                nextInRow[row.get(k)] = row.get(k + 1);
            }
        }
        int[] indegree = new int[n];
        for (List<Integer> out : next) {
            for (int v : out) {
                indegree[v]++;
            }
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        int[] column = new int[n];
        int[] order = new int[n];
        int count = 0;
        while (!ready.isEmpty()) {
            int u = ready.poll();
            order[count++] = u;
            for (int v : next.get(u)) {
                column[v] = Math.max(column[v], column[u] + 1);
                if (--indegree[v] == 0) {
                    ready.add(v);
                }
            }
        }
        if (count != n) {
            throw new DataException("the graph has a cycle of delay-0 edges; it cannot be laid out by depth");
        }
        // sources move right, latest first so that a row's next node has already moved
        for (int k = n - 1; k >= 0; k--) {
            int u = order[k];
            if (hasInput[u] || consumers.get(u).isEmpty()) {
                continue;
            }
            int limit = Integer.MAX_VALUE;
            for (int v : consumers.get(u)) {
                limit = Math.min(limit, column[v] - 1);
            }
            if (nextInRow[u] >= 0) {
                limit = Math.min(limit, column[nextInRow[u]] - 1);
            }
            column[u] = Math.max(column[u], limit);
        }
        return column;
    }

    // the first of the candidate curves that crosses no box but its own two, else the one that crosses fewest
    private static Curve route(LoopGraphLayout graph, LoopGraphLayout.Edge e, Rectangle2D[] boxes, Layout layout, int columnWidth) {
        if (e.from() == e.to()) {
            return null;
        }
        Point2D.Double p0 = centre(boxes[e.from()]);
        Point2D.Double p2 = centre(boxes[e.to()]);
        double dx = p2.x - p0.x;
        double dy = p2.y - p0.y;
        double len = Math.hypot(dx, dy);
        List<Point2D.Double> controls = new ArrayList<>();
        Point2D.Double mid = new Point2D.Double((p0.x + p2.x) / 2, (p0.y + p2.y) / 2);
        if (layout == Layout.DEPTH || straight(graph, e)) {
            controls.add(mid);
        }
        if (layout == Layout.TIME && kind(graph, e) == Kind.SAME_STEP) {
            controls.add(new Point2D.Double(mid.x - 0.45 * columnWidth, mid.y));
        }
        double first = kind(graph, e) == Kind.FEEDBACK ? 0.22 : 0.32;
        for (double bow : new double[] {first, -first, 0.45, -0.45, 0.6, -0.6, 0.8, -0.8, 1.0, -1.0}) {
            // bow to the left of the direction of travel for a positive bow (above for rightward edges)
            controls.add(new Point2D.Double(mid.x + dy / len * bow * len, mid.y - dx / len * bow * len));
        }
        Curve best = null;
        int fewest = Integer.MAX_VALUE;
        for (Point2D.Double control : controls) {
            Curve c = new Curve(border(boxes[e.from()], control), control, border(boxes[e.to()], control));
            int hits = crossings(c, boxes, e.from(), e.to());
            if (hits < fewest) {
                best = c;
                fewest = hits;
                if (hits == 0) {
                    break;
                }
            }
        }
        return best;
    }

    private static int crossings(Curve c, Rectangle2D[] boxes, int from, int to) {
        int hits = 0;
        for (int i = 0; i < boxes.length; i++) {
            if (i == from || i == to) {
                continue;
            }
            Rectangle2D grown = grow(boxes[i], 2);
            for (int k = 1; k < 48; k++) {
                if (grown.contains(c.at(k / 48.0))) {
                    hits++;
                    break;
                }
            }
        }
        return hits;
    }

    // along the curve if a spot there is free, else in the free band between two rows
    private static Rectangle2D placeLabel(Curve c, double w, double h, Rectangle2D[] boxes, List<Rectangle2D> placed,
            int layers, int width) {
        for (double s : new double[] {0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82}) {
            Point2D.Double p = c.at(s);
            Rectangle2D r = new Rectangle2D.Double(p.x - w / 2, p.y - h / 2, w, h);
            if (free(r, boxes, placed, width)) {
                return r;
            }
        }
        Point2D.Double p = c.at(0.5);
        List<Double> gaps = new ArrayList<>();
        for (int k = 1; k < layers; k++) {
            gaps.add((double) TOP + k * ROW);
        }
        gaps.sort((a, b) -> Double.compare(Math.abs(a - p.y), Math.abs(b - p.y)));
        gaps.add((double) TOP + layers * ROW);
        gaps.add((double) TOP);
        for (double y : gaps) {
            for (int k = 0; k < 400; k++) {
                double shift = (k % 2 == 0 ? 1 : -1) * ((k + 1) / 2) * (w / 2 + 2);
                Rectangle2D r = new Rectangle2D.Double(p.x + shift - w / 2, y - h / 2, w, h);
                if (free(r, boxes, placed, width)) {
                    return r;
                }
            }
        }
        // every band full of labels: stack below the rows (still clear of the boxes)
        double y = TOP + layers * ROW - h / 2;
        return new Rectangle2D.Double(p.x - w / 2, y + placed.size() % 2 * h, w, h);
    }

    private static boolean free(Rectangle2D r, Rectangle2D[] boxes, List<Rectangle2D> placed, int width) {
        if (r.getMinX() < LEFT - BOX_W / 2.0 || r.getMaxX() > width - 2) {
            return false;
        }
        for (Rectangle2D b : boxes) {
            if (grow(b, CLEARANCE).intersects(r)) {
                return false;
            }
        }
        for (Rectangle2D q : placed) {
            if (grow(q, 2).intersects(r)) {
                return false;
            }
        }
        return true;
    }

    private static Rectangle2D grow(Rectangle2D r, double by) {
        return new Rectangle2D.Double(r.getX() - by, r.getY() - by, r.getWidth() + 2 * by, r.getHeight() + 2 * by);
    }

    private static Point2D.Double centre(Rectangle2D r) {
        return new Point2D.Double(r.getCenterX(), r.getCenterY());
    }

    /** Where the ray from a box's centre towards {@code toward} leaves the box (plus a small gap). */
    private static Point2D.Double border(Rectangle2D box, Point2D.Double toward) {
        Point2D.Double centre = centre(box);
        double dx = toward.x - centre.x;
        double dy = toward.y - centre.y;
        if (dx == 0 && dy == 0) {
            return centre;
        }
        double sx = dx == 0 ? Double.POSITIVE_INFINITY : (box.getWidth() / 2 + 3) / Math.abs(dx);
        double sy = dy == 0 ? Double.POSITIVE_INFINITY : (box.getHeight() / 2 + 3) / Math.abs(dy);
        double s = Math.min(sx, sy);
        return new Point2D.Double(centre.x + s * dx, centre.y + s * dy);
    }

    // ----------------------------------------------------------------------------------------------
    // painting

    private record GraphDrawing(LoopGraphLayout graph, Placement placement) implements Drawing {

        @Override
        public int width() {
            return placement.width();
        }

        @Override
        public int height() {
            return placement.height();
        }

        @Override
        public void paint(Graphics2D g) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width(), height());
            g.setColor(Color.BLACK);
            g.setFont(TITLE);
            g.drawString(graph.title() + (placement.layout() == Layout.DEPTH
                    ? " (columns by depth: the longest path from the inputs)" : ""), MARGIN, 32);
            paintGrid(g);
            Set<Kind> used = EnumSet.noneOf(Kind.class);
            boolean labelled = false;
            List<LoopGraphLayout.Edge> edges = graph.edges();
            for (int k = 0; k < edges.size(); k++) {
                Kind kind = kind(graph, edges.get(k));
                used.add(kind);
                paintEdge(g, placement.curves()[k], kind);
            }
            for (int i = 0; i < graph.nodes().size(); i++) {
                paintNode(g, graph.nodes().get(i), placement.boxes()[i]);
            }
            for (int k = 0; k < edges.size(); k++) {
                if (placement.labels()[k] != null) {
                    paintLabel(g, placement.labels()[k], placement.labelTexts()[k], kind(graph, edges.get(k)));
                    labelled = true;
                }
            }
            paintLegend(g, used, labelled);
        }

        private void paintGrid(Graphics2D g) {
            g.setFont(SMALL);
            FontMetrics fm = g.getFontMetrics();
            boolean time = placement.layout() == Layout.TIME;
            int columnWidth = time ? COLUMN : DEPTH_COLUMN;
            for (int c = 0; c < placement.columns(); c++) {
                double cx = LEFT + (c + 0.5) * columnWidth;
                String s = time ? "t = " + (placement.firstStep() + c) : "depth " + c;
                g.setColor(new Color(80, 80, 80));
                g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), TOP - 14);
                g.setColor(new Color(236, 236, 236));
                g.fillRect((int) (cx - columnWidth / 2.0) + 4, TOP - 6, columnWidth - 8, 4);
            }
            g.setFont(LAYER);
            for (int l = 0; l < graph.layers(); l++) {
                double cy = TOP + (graph.layers() - 1 - l + 0.5) * ROW;
                g.setColor(new Color(50, 50, 50));
                g.drawString(fit(graph.layerName(l), g.getFontMetrics(), LEFT - MARGIN - 6), MARGIN, (float) cy + 5);
            }
        }

        private void paintNode(Graphics2D g, LoopGraphLayout.Node n, Rectangle2D r) {
            RoundRectangle2D box = new RoundRectangle2D.Double(r.getX(), r.getY(), r.getWidth(), r.getHeight(), 14, 14);
            g.setColor(new Color(245, 248, 252));
            g.fill(box);
            g.setColor(new Color(40, 40, 40));
            g.setStroke(new BasicStroke(1.5f));
            g.draw(box);
            double cx = r.getCenterX();
            double cy = r.getCenterY();
            String title = placement.layout() == Layout.DEPTH ? n.label() + "  t=" + n.time() : n.label();
            g.setFont(LABEL);
            FontMetrics fm = g.getFontMetrics();
            String label = fit(title, fm, BOX_W - 10);
            if (n.detail().isEmpty()) {
                g.drawString(label, (float) (cx - fm.stringWidth(label) / 2.0), (float) (cy + fm.getAscent() / 2.0 - 2));
                return;
            }
            g.drawString(label, (float) (cx - fm.stringWidth(label) / 2.0), (float) (cy - 3));
            g.setFont(DETAIL);
            FontMetrics dm = g.getFontMetrics();
            String detail = fit(n.detail(), dm, BOX_W - 8);
            g.setColor(new Color(90, 90, 90));
            g.drawString(detail, (float) (cx - dm.stringWidth(detail) / 2.0), (float) (cy + dm.getAscent() + 1));
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

        private void paintEdge(Graphics2D g, Curve c, Kind kind) {
            if (c == null) {
                return;
            }
            g.setColor(kind.color);
            g.setStroke(new BasicStroke(kind == Kind.FEEDBACK ? 2.4f : 1.8f, BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND));
            g.draw(new QuadCurve2D.Double(c.start().x, c.start().y, c.control().x, c.control().y, c.end().x, c.end().y));
            arrowHead(g, c.control(), c.end());
        }

        private void paintLabel(Graphics2D g, Rectangle2D r, String text, Kind kind) {
            g.setFont(SMALL);
            FontMetrics fm = g.getFontMetrics();
            RoundRectangle2D box = new RoundRectangle2D.Double(r.getX(), r.getY(), r.getWidth(), r.getHeight(), 6, 6);
            g.setColor(Color.WHITE);
            g.fill(box);
            g.setColor(kind.color);
            g.setStroke(new BasicStroke(1f));
            g.draw(box);
            g.drawString(text, (float) (r.getCenterX() - fm.stringWidth(text) / 2.0),
                    (float) (r.getCenterY() + fm.getAscent() / 2.0 - 2));
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
            if (placement.layout() == Layout.DEPTH) {
                g.setColor(new Color(40, 40, 40));
                g.drawString("depth: links on the longest path from an input; a column holds what can be computed at once",
                        MARGIN, y + 22);
            }
        }
    }
}
