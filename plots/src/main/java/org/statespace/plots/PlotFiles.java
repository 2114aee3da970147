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
