package io.stenographer.adapters.reports;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.ArabicShaping;
import com.ibm.icu.text.ArabicShapingException;
import java.text.Bidi;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns report text into lines a PDF can draw without lying about it:
 * <ul>
 *   <li>a code point no font draws, and every control, bidi-control or invisible character, is shown as
 *       {@code ⟦U+XXXX⟧}, never as '?' and never obeyed; the
 *       white square brackets are escaped themselves when the text has them, so an escape (or the cut marker) in a
 *       PDF was always put there by the renderer, never typed by whoever wrote the event;</li>
 *   <li>Arabic is shaped (ICU4J) and right-to-left text reordered (java.text.Bidi levels, rule L2 of UAX #9, mirrored
 *       brackets), because PDFBox does neither;</li>
 *   <li>text longer than its space is cut at a character boundary and ends with {@value #TRUNCATED}.</li>
 * </ul>
 * Every step is linear in the text: widths are summed once, never re-measured per removed character.
 */
final class ReportText {

    static final String OPEN = "\u27E6";
    static final String CLOSE = "\u27E7";
    static final String TRUNCATED = "\u2026" + OPEN + "truncated" + CLOSE;
    static final String REDACTED = OPEN + "redacted" + CLOSE;
    /** Narrower than any visible glyph of the report fonts, in 1/1000 em (a full stop is about 270). */
    private static final float MIN_ADVANCE = 150;
    private static final int ARABIC_OPTIONS = ArabicShaping.LETTERS_SHAPE | ArabicShaping.TEXT_DIRECTION_LOGICAL
            | ArabicShaping.LENGTH_GROW_SHRINK;

    /** Consecutive glyphs of one face, in visual order, with their width in 1/1000 em. */
    record Run(ReportFonts.Face face, String text, float width) {
    }

    /** One drawable line: runs left to right, its width in 1/1000 em, whether it was cut. */
    record Line(List<Run> runs, float width, boolean truncated) {
    }

    /** A base character with its combining marks: never split, never reordered apart. */
    private record Cluster(int[] codePoints, ReportFonts.Face[] faces, float width, boolean space) {
    }

    private final ReportFonts fonts;

    ReportText(ReportFonts fonts) {
        this.fonts = fonts;
    }

    /** The text as one line of at most {@code maxWidth} points at {@code size}; cut and marked when longer. */
    Line fit(String text, ReportFonts.Style style, float size, float maxWidth) {
        return fit(text, style, size, maxWidth, true);
    }

    /** The renderer's own words (markers included), on one line, not escaped. */
    Line fitOwn(String text, ReportFonts.Style style, float size, float maxWidth) {
        return fit(text, style, size, maxWidth, false);
    }

    private Line fit(String text, ReportFonts.Style style, float size, float maxWidth, boolean escaped) {
        float limit = maxWidth * 1000 / size;
        String head = head(text, limit, 1);
        if (head != null) {
            List<Cluster> clusters = clusters(head, style, escaped);
            if (total(clusters, 0, clusters.size()) > limit) {
                return cut(clusters, 0, style, limit);
            }
        }
        List<Cluster> clusters = clusters(text, style, escaped);
        if (total(clusters, 0, clusters.size()) <= limit) {
            return line(clusters, style, false);
        }
        return cut(clusters, 0, style, limit);
    }

    /**
     * The text in lines of at most {@code maxWidth} points, broken after spaces where there are any and between
     * characters where there are none (CJK, long tokens); at most {@code maxLines}, the last cut and marked.
     */
    List<Line> wrap(String text, ReportFonts.Style style, float size, float maxWidth, int maxLines) {
        float limit = maxWidth * 1000 / size;
        String head = head(text, limit, maxLines);
        if (head != null) {
            List<Line> lines = wrap(clusters(head, style), style, limit, maxLines);
            if (lines.get(lines.size() - 1).truncated()) {
                return lines;
            }
        }
        return wrap(clusters(text, style), style, limit, maxLines);
    }

    /** The renderer's own words (a legend that shows the escape brackets), wrapped without escaping them. */
    List<Line> wrapOwn(String text, ReportFonts.Style style, float size, float maxWidth) {
        return wrap(clusters(text, style, false), style, maxWidth * 1000 / size, Integer.MAX_VALUE);
    }

    /**
     * A prefix of a long text that, unless it is mostly zero-width marks, is already wider than {@code lines} lines:
     * only it is shaped and measured, so a 64 KiB value costs what a line costs. Null when the text is short.
     */
    private static String head(String text, float limit, int lines) {
        int bound = lines * (16 + 4 * (int) (limit / MIN_ADVANCE));
        if (text.length() <= 2 * bound) {
            return null;
        }
        return text.substring(0, text.offsetByCodePoints(0, bound));
    }

    private List<Line> wrap(List<Cluster> clusters, ReportFonts.Style style, float limit, int maxLines) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        while (start < clusters.size()) {
            if (lines.size() == maxLines - 1 && total(clusters, start, clusters.size()) > limit) {
                lines.add(cut(clusters, start, style, limit));
                return lines;
            }
            float width = 0;
            int end = start;
            int lastSpace = -1;
            while (end < clusters.size() && width + clusters.get(end).width() <= limit) {
                if (clusters.get(end).space()) {
                    lastSpace = end;
                }
                width += clusters.get(end).width();
                end++;
            }
            if (end < clusters.size() && lastSpace > start) {
                end = lastSpace;
            }
            end = Math.max(end, start + 1); // a single glyph wider than the line still moves on
            lines.add(line(clusters.subList(start, end), style, false));
            start = end;
            while (start < clusters.size() && clusters.get(start).space()) {
                start++;
            }
        }
        if (lines.isEmpty()) {
            lines.add(new Line(List.of(), 0, false));
        }
        return lines;
    }

    /** The longest prefix from {@code start} that fits with the marker after it. */
    private Line cut(List<Cluster> clusters, int start, ReportFonts.Style style, float limit) {
        List<Cluster> marker = clusters(TRUNCATED, style, false);
        float room = limit - total(marker, 0, marker.size());
        float width = 0;
        int end = start;
        while (end < clusters.size() && width + clusters.get(end).width() <= room) {
            width += clusters.get(end).width();
            end++;
        }
        List<Cluster> kept = new ArrayList<>(clusters.subList(start, end));
        kept.addAll(marker);
        return line(kept, style, true);
    }

    private static float total(List<Cluster> clusters, int from, int to) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            sum += clusters.get(i).width();
        }
        return sum;
    }

    /** Escaped, shaped, in logical order. */
    private List<Cluster> clusters(String text, ReportFonts.Style style) {
        return clusters(text, style, true);
    }

    /** {@code escaped}: false only for the renderer's own marker, whose brackets are meant. */
    private List<Cluster> clusters(String text, ReportFonts.Style style, boolean escaped) {
        String shaped = shapeArabic(escaped ? escape(text, style) : text);
        List<Cluster> clusters = new ArrayList<>();
        List<Integer> codePoints = new ArrayList<>();
        shaped.codePoints().forEach(cp -> {
            if (!codePoints.isEmpty() && isMark(cp)) {
                codePoints.add(cp);
                return;
            }
            if (!codePoints.isEmpty()) {
                clusters.add(cluster(codePoints, style));
                codePoints.clear();
            }
            codePoints.add(cp);
        });
        if (!codePoints.isEmpty()) {
            clusters.add(cluster(codePoints, style));
        }
        return clusters;
    }

    private Cluster cluster(List<Integer> codePoints, ReportFonts.Style style) {
        int[] cps = codePoints.stream().mapToInt(Integer::intValue).toArray();
        ReportFonts.Face[] faces = new ReportFonts.Face[cps.length];
        ReportFonts.Face base = fonts.faceFor(style, cps[0]);
        float width = 0;
        for (int i = 0; i < cps.length; i++) {
            // a mark stays in its base's font when that font has it, so it sits on its base
            faces[i] = base != null && base.draws(cps[i]) ? base : fonts.faceFor(style, cps[i]);
            width += faces[i].advance(cps[i]);
        }
        return new Cluster(cps, faces, width, cps[0] == ' ');
    }

    /** Controls, code points no face of the style draws, and the escape brackets become {@code ⟦U+XXXX⟧}. */
    private String escape(String text, ReportFonts.Style style) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (invisible(cp) || fonts.faceFor(style, cp) == null || cp == 0x27E6 || cp == 0x27E7) {
                out.append(OPEN).append(String.format("U+%04X", cp)).append(CLOSE);
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /**
     * Characters that change what is shown without being seen: controls, bidi overrides and isolates (an RLO would draw
     * "BC-2026-\u202E2400" as "BC-2026-0042"), zero-width and other default-ignorable characters ("ad\u200Bmin"
     * looks like "admin"), and line or paragraph separators. Each is shown as its escape instead.
     */
    private static boolean invisible(int cp) {
        return Character.isISOControl(cp) || UCharacter.hasBinaryProperty(cp, UProperty.BIDI_CONTROL)
                || UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
                || cp == 0x2028 || cp == 0x2029;
    }

    /** Contextual forms (and lam-alef ligatures) where the font draws them; escaped as a whole when it cannot. */
    private String shapeArabic(String text) {
        if (text.codePoints().noneMatch(ReportText::isArabic)) {
            return text;
        }
        try {
            String shaped = new ArabicShaping(ARABIC_OPTIONS).shape(text);
            return shaped.codePoints().allMatch(cp -> fonts.faceFor(ReportFonts.Style.REGULAR, cp) != null)
                    ? shaped : text;
        } catch (ArabicShapingException e) {
            return text;
        }
    }

    /** The Arabic blocks ICU shapes (letters and presentation forms). */
    private static boolean isArabic(int cp) {
        return cp >= 0x0600 && cp <= 0x06FF || cp >= 0x0750 && cp <= 0x077F || cp >= 0x08A0 && cp <= 0x08FF
                || cp >= 0xFB50 && cp <= 0xFDFF || cp >= 0xFE70 && cp <= 0xFEFF;
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    /** Reorders clusters for display (UAX #9 L2 on the clusters' levels) and groups them into runs of one face. */
    private Line line(List<Cluster> logical, ReportFonts.Style style, boolean truncated) {
        StringBuilder text = new StringBuilder();
        int[] charStart = new int[logical.size()];
        for (int i = 0; i < logical.size(); i++) {
            charStart[i] = text.length();
            for (int cp : logical.get(i).codePoints()) {
                text.appendCodePoint(cp);
            }
        }
        List<Cluster> visual = new ArrayList<>(logical);
        int[] levels = new int[logical.size()];
        char[] chars = text.toString().toCharArray();
        if (Bidi.requiresBidi(chars, 0, chars.length)) {
            Bidi bidi = new Bidi(text.toString(), Bidi.DIRECTION_DEFAULT_LEFT_TO_RIGHT);
            int highest = 0;
            int lowestOdd = Integer.MAX_VALUE;
            for (int i = 0; i < levels.length; i++) {
                levels[i] = bidi.getLevelAt(charStart[i]);
                highest = Math.max(highest, levels[i]);
                if (levels[i] % 2 == 1) {
                    lowestOdd = Math.min(lowestOdd, levels[i]);
                }
            }
            int[] order = new int[levels.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int level = highest; level >= lowestOdd && level > 0; level--) {
                for (int i = 0; i < order.length; i++) {
                    if (levels[order[i]] >= level) {
                        int j = i;
                        while (j + 1 < order.length && levels[order[j + 1]] >= level) {
                            j++;
                        }
                        for (int a = i, b = j; a < b; a++, b--) {
                            int swap = order[a];
                            order[a] = order[b];
                            order[b] = swap;
                        }
                        i = j;
                    }
                }
            }
            visual.clear();
            for (int index : order) {
                Cluster cluster = logical.get(index);
                visual.add(levels[index] % 2 == 1 ? mirrored(cluster, style) : cluster);
            }
        }
        List<Run> runs = new ArrayList<>();
        StringBuilder runText = new StringBuilder();
        ReportFonts.Face runFace = null;
        float runWidth = 0;
        float width = 0;
        for (Cluster cluster : visual) {
            for (int i = 0; i < cluster.codePoints().length; i++) {
                ReportFonts.Face face = cluster.faces()[i];
                if (face != runFace && runText.length() > 0) {
                    runs.add(new Run(runFace, runText.toString(), runWidth));
                    runText.setLength(0);
                    runWidth = 0;
                }
                runFace = face;
                runText.appendCodePoint(cluster.codePoints()[i]);
                float advance = face.advance(cluster.codePoints()[i]);
                runWidth += advance;
                width += advance;
            }
        }
        if (runText.length() > 0) {
            runs.add(new Run(runFace, runText.toString(), runWidth));
        }
        return new Line(runs, width, truncated);
    }

    /** In right-to-left text an opening bracket is drawn as its mirror image (UAX #9 L4). */
    private Cluster mirrored(Cluster cluster, ReportFonts.Style style) {
        int base = cluster.codePoints()[0];
        int mirror = UCharacter.getMirror(base);
        if (mirror == base || fonts.faceFor(style, mirror) == null) {
            return cluster;
        }
        int[] cps = cluster.codePoints().clone();
        ReportFonts.Face[] faces = cluster.faces().clone();
        cps[0] = mirror;
        faces[0] = fonts.faceFor(style, mirror);
        float width = cluster.width() - cluster.faces()[0].advance(base) + faces[0].advance(mirror);
        return new Cluster(cps, faces, width, cluster.space());
    }
}
