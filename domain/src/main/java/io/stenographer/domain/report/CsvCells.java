package io.stenographer.domain.report;

/**
 * RFC 4180 cells, made safe to open in a spreadsheet. A cell whose first character a spreadsheet could
 * read as the start of a formula ({@code = + - @}, tab, carriage return, or their full-width forms) is
 * prefixed with an apostrophe (OWASP "CSV injection"), and then any cell holding a comma, a double
 * quote, CR or LF, or starting with the apostrophe, is quoted with inner quotes doubled.
 */
public final class CsvCells {

    private CsvCells() {
    }

    public static String escape(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String cell = formulaLike(value.charAt(0)) ? "'" + value : value;
        boolean quote = cell.charAt(0) == '\'';
        for (int i = 0; i < cell.length() && !quote; i++) {
            char c = cell.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    static boolean formulaLike(char c) {
        return switch (c) {
            case '=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20' -> true;
            default -> false;
        };
    }

    /** One record: cells separated by commas and ended by CRLF. */
    public static String row(java.util.List<String> cells) {
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
