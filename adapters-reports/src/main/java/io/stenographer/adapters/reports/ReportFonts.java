package io.stenographer.adapters.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;

/**
 * The TrueType fonts a PDF report embeds (subset), in fallback order per style, and which code points and
 * advance widths each has. Loaded once and then only read, so the report workers share it. The files come from
 * Debian's packages ({@code deploy/fonts/ensure-report-fonts.sh}); nothing is copied into the repository.
 */
public final class ReportFonts {

    /** The highest code point looked up: the BMP and the supplementary planes that hold scripts, symbols, CJK. */
    private static final int LAST_CODE_POINT = 0x3FFFF;

    public static final String INSTALL = "sudo apt-get install -y fonts-noto-core fonts-droid-fallback fonts-nanum fonts-dejavu-core fonts-noto-mono"
            + " (or run deploy/fonts/ensure-report-fonts.sh)";

    public enum Style { REGULAR, BOLD, MONO }

    /**
     * After the style's first face: Arabic, Hebrew, Armenian, Georgian, Thai, Devanagari, CJK (Droid Sans Fallback is
     * TrueType-outlined, so it embeds; Noto CJK is CFF and would not), the Hangul syllables Droid lacks (Nanum Gothic),
     * symbols, and DejaVu Sans last for what the rest
     * lack (including a monochrome emoji set).
     */
    private static final List<String> FALLBACK = List.of("noto/NotoSansArabic-Regular.ttf",
            "noto/NotoSansHebrew-Regular.ttf", "noto/NotoSansArmenian-Regular.ttf", "noto/NotoSansGeorgian-Regular.ttf",
            "noto/NotoSansThai-Regular.ttf", "noto/NotoSansDevanagari-Regular.ttf", "droid/DroidSansFallbackFull.ttf",
            "nanum/NanumGothic.ttf",
            "noto/NotoSansSymbols-Regular.ttf", "noto/NotoSansSymbols2-Regular.ttf", "dejavu/DejaVuSans.ttf");
    private static final Map<Style, String> FIRST = Map.of(Style.REGULAR, "noto/NotoSans-Regular.ttf",
            Style.BOLD, "noto/NotoSans-Bold.ttf", Style.MONO, "noto/NotoSansMono-Regular.ttf");

    /** One font file: the code points it draws and their advance widths in 1/1000 em. */
    static final class Face {
        final Path file;
        private final BitSet drawable = new BitSet();
        private final CmapLookup cmap;
        private final TrueTypeFont font;
        private final float scale;

        Face(Path file) throws IOException {
            this.file = file;
            this.font = new TTFParser().parse(new RandomAccessReadBufferedFile(file.toFile()));
            this.cmap = font.getUnicodeCmapLookup(false);
            font.getHorizontalMetrics(); // parsed now, so later reads from several threads only read arrays
            this.scale = 1000f / font.getUnitsPerEm();
            for (int cp = 0; cp <= LAST_CODE_POINT; cp++) {
                if (cmap.getGlyphId(cp) > 0) {
                    drawable.set(cp);
                }
            }
        }

        boolean draws(int codePoint) {
            return drawable.get(codePoint);
        }

        float advance(int codePoint) {
            try {
                return font.getAdvanceWidth(cmap.getGlyphId(codePoint)) * scale;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the advance widths of " + file, e);
            }
        }
    }

    private final Map<Style, List<Face>> chains = new EnumMap<>(Style.class);

    private ReportFonts(Map<String, Face> faces) {
        for (Style style : Style.values()) {
            List<Face> chain = new ArrayList<>();
            chain.add(faces.get(FIRST.get(style)));
            if (style != Style.REGULAR) {
                chain.add(faces.get(FIRST.get(Style.REGULAR)));
            }
            FALLBACK.forEach(name -> chain.add(faces.get(name)));
            chains.put(style, List.copyOf(chain));
        }
    }

    /** Loads every face from {@code directory}; refuses, naming the missing files and the install command. */
    public static ReportFonts load(Path directory) {
        List<String> names = new ArrayList<>(FIRST.values());
        names.addAll(FALLBACK);
        List<String> missing = names.stream().filter(name -> !Files.isRegularFile(directory.resolve(name))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("PDF report fonts are missing from " + directory + ": "
                    + String.join(", ", missing) + "; install them: " + INSTALL);
        }
        Map<String, Face> faces = new java.util.HashMap<>();
        for (String name : names) {
            try {
                faces.put(name, new Face(directory.resolve(name)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the PDF report font " + directory.resolve(name), e);
            }
        }
        return new ReportFonts(faces);
    }

    List<Face> chain(Style style) {
        return chains.get(style);
    }

    /** The first face of the style's chain that draws the code point, or null when none does. */
    Face faceFor(Style style, int codePoint) {
        for (Face face : chains.get(style)) {
            if (face.draws(codePoint)) {
                return face;
            }
        }
        return null;
    }
}
