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
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG", e);
        }
    }

    /**
     * The drawing as a small PNG: 8-bit indexed colour instead of 24-bit RGB. A chart has few colours plus
     * the anti-aliased shades between them; the 255 most frequent colours are kept exactly (every series colour,
     * the text and the background) and every other shade becomes the nearest of them. About a third of the
     * bytes of {@link #png}, for the report's embedded images.
     */
    public static byte[] compactPng(Drawing drawing) {
        return compactPng(png(drawing));
    }

    /** {@link #compactPng(Drawing)} of a drawing's PNG bytes already made. */
    static byte[] compactPng(byte[] png) {
        try {
            BufferedImage rgb = ImageIO.read(new java.io.ByteArrayInputStream(png));
            int w = rgb.getWidth();
            int h = rgb.getHeight();
            int[] pixels = rgb.getRGB(0, 0, w, h, null, 0, w);
            java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
            for (int p : pixels) {
                counts.merge(p & 0xffffff, 1, Integer::sum);
            }
            List<Integer> byFrequency = new ArrayList<>(counts.keySet());
            byFrequency.sort((a, b) -> counts.get(b) - counts.get(a) != 0 ? counts.get(b) - counts.get(a) : a - b);
            int k = Math.min(255, byFrequency.size());
            byte[] r = new byte[k];
            byte[] g = new byte[k];
            byte[] b = new byte[k];
            java.util.Map<Integer, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < k; i++) {
                int c = byFrequency.get(i);
                r[i] = (byte) (c >> 16);
                g[i] = (byte) (c >> 8);
                b[i] = (byte) c;
                index.put(c, i);
            }
            for (int i = k; i < byFrequency.size(); i++) { // every other shade: the nearest kept colour
                int c = byFrequency.get(i);
                int best = 0;
                long bestDistance = Long.MAX_VALUE;
                for (int j = 0; j < k; j++) {
                    long dr = ((c >> 16) & 0xff) - (r[j] & 0xff);
                    long dg = ((c >> 8) & 0xff) - (g[j] & 0xff);
                    long db = (c & 0xff) - (b[j] & 0xff);
                    long d = dr * dr + dg * dg + db * db;
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = j;
                    }
                }
                index.put(c, best);
            }
            java.awt.image.IndexColorModel model = new java.awt.image.IndexColorModel(8, k, r, g, b);
            BufferedImage indexed = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model);
            byte[] data = ((java.awt.image.DataBufferByte) indexed.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < pixels.length; i++) {
                data[i] = (byte) (int) index.get(pixels[i] & 0xffffff);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(indexed, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG", e);
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
