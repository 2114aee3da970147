package org.statespace.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** Checks that a written image is what a person could look at. */
final class ImageChecks {
    private ImageChecks() {
    }

    /** Where a test writes its files: -Dplots.gallery=DIR keeps them for a person to look at. */
    static Path outputDir(Path tmp) {
        String gallery = System.getProperty("plots.gallery");
        return gallery == null ? tmp : Path.of(gallery);
    }

    /** The PNG file exists, decodes, has the given size, and is not one colour (nor nearly all white). */
    static BufferedImage checkPng(Path file, int width, int height) throws IOException {
        assertThat(file).exists();
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as("decodable PNG %s", file).isNotNull();
        assertThat(image.getWidth()).as("width of %s", file).isEqualTo(width);
        assertThat(image.getHeight()).as("height of %s", file).isEqualTo(height);
        checkNotBlank(image, file.toString());
        return image;
    }

    /** Many colours and a real share of ink. */
    static void checkNotBlank(BufferedImage image, String what) {
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    ink++;
                }
            }
        }
        assertThat(colours.size()).as("distinct colours in %s", what).isGreaterThan(8);
        assertThat((double) ink / ((long) image.getWidth() * image.getHeight())).as("share of non-white pixels in %s",
                what).isGreaterThan(0.02);
    }

    /** Decodes PNG bytes. */
    static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** The SVG file parses as XML (no DTD fetched), its root is svg, and it draws something. */
    static Document checkSvg(Path file) throws Exception {
        assertThat(file).exists();
        return parseSvg(Files.readString(file));
    }

    static Document parseSvg(String text) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        Document doc = b.parse(new InputSource(new StringReader(text)));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        int shapes = doc.getElementsByTagNameNS("*", "path").getLength()
                + doc.getElementsByTagNameNS("*", "rect").getLength()
                + doc.getElementsByTagNameNS("*", "polygon").getLength()
                + doc.getElementsByTagNameNS("*", "line").getLength();
        assertThat(shapes).as("shapes in the SVG").isGreaterThan(5);
        return doc;
    }
}
