package io.stenographer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A writer plants a formula in an event field, hoping a report reader opens the CSV in a spreadsheet
 * that splits on {@code ;} (European Excel, LibreOffice) or on tab instead of the comma. The row is
 * parsed here as such a spreadsheet would (RFC 4180 quotes honoured, another separator), and no field
 * may start with a formula character.
 */
class CsvInjectionAttackTest {

    @Test
    void semicolonSeparatedSpreadsheetCannotBeMadeToStartAFieldWithAFormula() {
        String row = CsvCells.row(List.of("42", "ann", "x;=1+1", "case.view", "a;+cmd", "b;@SUM(A1)", "c;-2"));
        for (String field : fields(row, ';')) {
            assertNoFormula(field);
        }
        assertThat(fields(row, ',')).contains("x;=1+1");
    }

    @Test
    void tabSeparatedSpreadsheetCannotBeMadeToStartAFieldWithAFormula() {
        String row = CsvCells.row(List.of("42", "ann", "a\t=1", "case.view", "b\t+1", "c\t@x", "\t=1"));
        for (String field : fields(row, '\t')) {
            assertNoFormula(field);
        }
        assertThat(fields(row, ',')).contains("a\t=1", "'\t=1");
    }

    private static void assertNoFormula(String field) {
        assertThat(field.isEmpty() || !CsvCells.formulaLike(field.charAt(0)))
                .as("field %s starts with a formula character", field).isTrue();
    }

    /** One CRLF-ended record split on {@code separator}; a quote opens or closes quoting anywhere. */
    static List<String> fields(String row, char separator) {
        String line = row.substring(0, row.length() - 2);
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == separator && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
