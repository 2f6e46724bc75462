package io.orderbooks.report.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: the first {@code textColumns} columns left-aligned, the rest (numbers) right-aligned, two
 * spaces between columns. A row may carry indented note lines printed under it, outside the column widths.
 */
final class Table {
    private final String[] headers;
    private final int textColumns;
    private final List<String[]> rows = new ArrayList<>();
    private final List<List<String>> notes = new ArrayList<>();

    Table(int textColumns, String... headers) {
        this.headers = headers;
        this.textColumns = textColumns;
    }

    Table row(Object... cells) {
        String[] r = new String[headers.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(r);
        notes.add(new ArrayList<>());
        return this;
    }

    /** A line under the last row, indented to the second column. */
    Table note(String line) {
        notes.get(notes.size() - 1).add(line);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(StringBuilder out, String indent) {
        int[] w = new int[headers.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        line(out, indent, headers, w);
        String noteIndent = indent + " ".repeat(w.length > 1 ? w[0] + 2 : 2);
        for (int i = 0; i < rows.size(); i++) {
            line(out, indent, rows.get(i), w);
            for (String n : notes.get(i)) {
                out.append(noteIndent).append(n).append('\n');
            }
        }
    }

    private void line(StringBuilder out, String indent, String[] cells, int[] w) {
        StringBuilder b = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append("  ");
            }
            String pad = " ".repeat(w[i] - cells[i].length());
            b.append(i < textColumns ? cells[i] + pad : pad + cells[i]);
        }
        out.append(b.toString().stripTrailing()).append('\n');
    }
}
