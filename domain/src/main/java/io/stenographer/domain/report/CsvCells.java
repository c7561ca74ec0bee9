package io.stenographer.domain.report;

import java.util.List;

/**
 * RFC 4180 cells, made safe to open in a spreadsheet. A cell whose first character a spreadsheet could
 * read as the start of a formula ({@code = + - @}, tab, carriage return, or their full-width forms) is
 * prefixed with an apostrophe (OWASP "CSV injection"). Every cell is then quoted, with inner quotes
 * doubled: a spreadsheet set to split on {@code ;} or tab (European Excel, LibreOffice) would otherwise
 * split {@code x;=1+1} and start a field with {@code =}. With every cell quoted, every character of the
 * data lies inside quotes, whichever separator the reader picks, so only our commas can end a field.
 */
public final class CsvCells {

    private CsvCells() {
    }

    public static String escape(String value) {
        if (value == null || value.isEmpty()) {
            return "\"\"";
        }
        String cell = formulaLike(value.charAt(0)) ? "'" + value : value;
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    static boolean formulaLike(char c) {
        return switch (c) {
            case '=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20' -> true;
            default -> false;
        };
    }

    /** One record: cells separated by commas and ended by CRLF. */
    public static String row(List<String> cells) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(escape(cells.get(i)));
        }
        return out.append("\r\n").toString();
    }
}
