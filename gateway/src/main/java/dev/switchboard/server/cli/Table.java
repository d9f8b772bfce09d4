package dev.switchboard.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header row, then rows, columns two spaces apart and padded to their widest
 * cell; columns named in the constructor with a leading {@code >} are right-aligned (numbers).
 */
final class Table {

  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> right = new ArrayList<>();
  private final List<String[]> rows = new ArrayList<>();

  Table(String... columns) {
    for (String c : columns) {
      boolean r = c.startsWith(">");
      headers.add(r ? c.substring(1) : c);
      right.add(r);
    }
  }

  Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          cells.length + " cells for " + headers.size() + " columns");
    }
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cells[i] == null ? "-" : cells[i].toString();
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (String[] row : rows) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    line(out, headers.toArray(String[]::new), width);
    for (String[] row : rows) {
      line(out, row, width);
    }
    out.flush();
  }

  private void line(PrintWriter out, String[] cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append("  ");
      }
      String cell = cells[i];
      int pad = width[i] - cell.length();
      if (right.get(i)) {
        b.append(" ".repeat(pad)).append(cell);
      } else if (i < cells.length - 1) {
        b.append(cell).append(" ".repeat(pad));
      } else {
        b.append(cell);
      }
    }
    out.println(b.toString().stripTrailing());
  }
}
