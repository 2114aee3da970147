package org.statespace.plots;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;

import org.statespace.ResourceException;
import org.statespace.io.AtomicFiles;

/**
 * Writes drawings as PNG and SVG files, each atomically. Charts go through XChart's own encoders
 * ({@link BitmapEncoder}, {@link VectorGraphicsEncoder}); other drawings are painted on a
 * {@link BufferedImage} or on VectorGraphics2D's SVG canvas, the library XChart itself uses for SVG.
 */
public final class PlotFiles {
    private PlotFiles() {
    }

    /** The drawing as PNG bytes, width×height pixels. */
    public static byte[] png(Drawing drawing) {
        try {
            if (drawing instanceof Drawing.ChartDrawing c) {
                return BitmapEncoder.getBitmapBytes(c.chart(), BitmapEncoder.BitmapFormat.PNG);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image(drawing), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG", e);
        }
    }

    /** The drawing painted on a white width×height RGB image, anti-aliased. */
    static BufferedImage image(Drawing drawing) {
        BufferedImage image = new BufferedImage(drawing.width(), drawing.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, drawing.width(), drawing.height());
            drawing.paint(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Colours a {@link #compactPng} keeps exactly; every other shade becomes the nearest of them. A chart draws
     * with at most about twenty colours (eight series colours, bands, greys, text); the rest are anti-aliased
     * shades between them. 48 keeps every drawn colour with room to spare and enough shades for smooth edges,
     * and gives about a quarter fewer bytes than 255 (measured on the default study's charts: the sunspots
     * prediction figure 150 KB with 255 colours, 112 KB with 32).
     */
    static final int PALETTE_SIZE = 48;

    /**
     * The drawing as a small PNG: 8-bit indexed colour instead of 24-bit RGB, painted straight onto an image
     * (no RGB PNG made and read back). A chart has few colours plus the anti-aliased shades between them: a palette
     * of {@value #PALETTE_SIZE} keeps the most frequent half exactly (every series colour, the text and the
     * background) and fills the rest with the shades worst served by it, and every other shade becomes the
     * nearest palette colour. About a quarter of the bytes of
     * {@link #png}, for the report's embedded images and its plots/ files.
     */
    public static byte[] compactPng(Drawing drawing) {
        return compactPng(image(drawing));
    }

    /** {@link #compactPng(Drawing)} of a drawing's PNG bytes already made. */
    static byte[] compactPng(byte[] png) {
        try {
            return compactPng(ImageIO.read(new java.io.ByteArrayInputStream(png)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a PNG", e);
        }
    }

    /** {@link #compactPng(Drawing)} of an RGB image. */
    static byte[] compactPng(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] pixels = rgb.getRGB(0, 0, w, h, null, 0, w);
        ColourCounts counts = new ColourCounts();
        for (int p : pixels) {
            counts.add(p & 0xffffff);
        }
        int distinct = counts.size();
        int[] colours = counts.colours();
        long[] order = new long[distinct]; // most frequent first, ties by colour: (-count, colour) packed
        for (int i = 0; i < distinct; i++) {
            order[i] = ((long) (Integer.MAX_VALUE - counts.count(colours[i])) << 24) | colours[i];
        }
        java.util.Arrays.sort(order);
        int k = Math.min(PALETTE_SIZE, distinct);
        // the most frequent colours first (the background, text, series colours and fills), then, one at a time,
        // the shade that is worst served so far (its pixel count times its squared distance to the nearest colour
        // chosen), so that no frequent anti-aliased shade ends far from every colour kept
        int[] chosen = new int[k];
        int frequent = Math.min(k, Math.max(1, k / 2));
        long[] nearest = new long[distinct];
        int[] byRank = new int[distinct];
        double[] pixelsOf = new double[distinct];
        for (int i = 0; i < distinct; i++) {
            byRank[i] = (int) (order[i] & 0xffffff);
            pixelsOf[i] = counts.count(byRank[i]);
            nearest[i] = Long.MAX_VALUE;
        }
        for (int j = 0; j < k; j++) {
            int pick;
            if (j < frequent) {
                pick = j;
            } else {
                pick = -1;
                double worst = -1;
                for (int i = 0; i < distinct; i++) {
                    double cost = nearest[i] * pixelsOf[i];
                    if (nearest[i] > 0 && cost > worst) {
                        worst = cost;
                        pick = i;
                    }
                }
                if (pick < 0) {
                    k = j; // every colour is kept exactly already
                    break;
                }
            }
            chosen[j] = byRank[pick];
            for (int i = 0; i < distinct; i++) {
                nearest[i] = Math.min(nearest[i], distance(byRank[i], chosen[j]));
            }
        }
        byte[] r = new byte[k];
        byte[] g = new byte[k];
        byte[] b = new byte[k];
        for (int j = 0; j < k; j++) {
            r[j] = (byte) (chosen[j] >> 16);
            g[j] = (byte) (chosen[j] >> 8);
            b[j] = (byte) chosen[j];
        }
        int[] index = new int[distinct];
        for (int i = 0; i < distinct; i++) { // each colour: the nearest kept one (itself when kept)
            int best = 0;
            long bestDistance = Long.MAX_VALUE;
            for (int j = 0; j < k; j++) {
                long d = distance(byRank[i], chosen[j]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = j;
                }
            }
            index[i] = best;
        }
        for (int i = 0; i < distinct; i++) { // counts are no longer needed: each colour's entry becomes its index
            counts.setIndex(byRank[i], index[i]);
        }
        java.awt.image.IndexColorModel model = new java.awt.image.IndexColorModel(8, k, r, g, b);
        BufferedImage indexed = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model);
        byte[] data = ((java.awt.image.DataBufferByte) indexed.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            data[i] = (byte) counts.index(pixels[i] & 0xffffff);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(indexed, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG", e);
        }
    }

    /** Squared distance of two 24-bit RGB colours. */
    private static long distance(int c, int d) {
        long dr = ((c >> 16) & 0xff) - ((d >> 16) & 0xff);
        long dg = ((c >> 8) & 0xff) - ((d >> 8) & 0xff);
        long db = (c & 0xff) - (d & 0xff);
        return dr * dr + dg * dg + db * db;
    }

    /** Counts of 24-bit colours, then each colour's palette index: open addressing on primitive arrays. */
    private static final class ColourCounts {
        private int[] keys = new int[1024];
        private int[] values = new int[1024];
        private int size;

        ColourCounts() {
            java.util.Arrays.fill(keys, -1);
        }

        private int slot(int colour) {
            int mask = keys.length - 1;
            int i = (colour * 0x9E3779B1) >>> 7 & mask;
            while (keys[i] != -1 && keys[i] != colour) {
                i = (i + 1) & mask;
            }
            return i;
        }

        void add(int colour) {
            int i = slot(colour);
            if (keys[i] == -1) {
                keys[i] = colour;
                size++;
                if (2 * size > keys.length) {
                    grow();
                    i = slot(colour);
                }
            }
            values[i]++;
        }

        private void grow() {
            int[] oldKeys = keys;
            int[] oldValues = values;
            keys = new int[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            java.util.Arrays.fill(keys, -1);
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != -1) {
                    int j = slot(oldKeys[i]);
                    keys[j] = oldKeys[i];
                    values[j] = oldValues[i];
                }
            }
        }

        int size() {
            return size;
        }

        int[] colours() {
            int[] out = new int[size];
            int n = 0;
            for (int key : keys) {
                if (key != -1) {
                    out[n++] = key;
                }
            }
            return out;
        }

        int count(int colour) {
            return values[slot(colour)];
        }

        /** Replaces the colour's count by its palette index (called once per colour, after counting). */
        void setIndex(int colour, int index) {
            values[slot(colour)] = index;
        }

        int index(int colour) {
            return values[slot(colour)];
        }
    }

    /** The drawing as an SVG document (UTF-8 text), width×height user units. */
    public static String svg(Drawing drawing) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (drawing instanceof Drawing.ChartDrawing c) {
                VectorGraphicsEncoder.saveVectorGraphic(c.chart(), out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                VectorGraphics2D g = new VectorGraphics2D();
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, drawing.width(), drawing.height());
                drawing.paint(g);
                Document doc = new SVGProcessor().getDocument(g.getCommands(),
                        new PageSize(0, 0, drawing.width(), drawing.height()));
                doc.writeTo(out);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an SVG", e);
        }
    }

    /** Writes {@code file} (PNG). */
    public static void writePng(Drawing drawing, Path file) {
        AtomicFiles.writeBytes(file, png(drawing));
    }

    /** Writes {@code file} (SVG). */
    public static void writeSvg(Drawing drawing, Path file) {
        AtomicFiles.writeString(file, svg(drawing));
    }

    /**
     * Writes every figure as {@code NAME.png} and {@code NAME.svg} under {@code dir}; returns the files
     * written, in order.
     */
    public static List<Path> writeAll(List<Figure> figures, Path dir) {
        List<Path> written = new ArrayList<>();
        for (Figure f : figures) {
            Path png = dir.resolve(f.name() + ".png");
            Path svg = dir.resolve(f.name() + ".svg");
            try {
                writePng(f.drawing(), png);
                writeSvg(f.drawing(), svg);
            } catch (UncheckedIOException e) {
                throw new ResourceException(dir + ": cannot write " + f.name() + ": " + e.getCause().getMessage(), e);
            }
            written.add(png);
            written.add(svg);
        }
        return written;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
