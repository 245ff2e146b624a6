package io.asyncbridge.benchmarks.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small Markdown table, rendered with aligned columns so it reads well in a terminal too. */
public final class MarkdownTable {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  public MarkdownTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("a row needs " + header.size() + " cells, got " + cells.length);
    }
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell == null ? "" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  public String render() {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = Math.max(3, header.get(i).length());
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    line(out, rule, widths);
    rows.forEach(row -> line(out, row, widths));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    out.append('|');
    for (int i = 0; i < cells.size(); i++) {
      out.append(' ').append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length())).append(" |");
    }
    out.append('\n');
  }

  /** 12,345 style for counts and rates. */
  public static String number(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
  }

  /** A ratio such as 12.3x. */
  public static String ratio(double ours, double baseline) {
    if (baseline <= 0 || Double.isNaN(ours) || Double.isNaN(baseline)) {
      return "n/a";
    }
    double r = ours / baseline;
    return String.format(Locale.ROOT, r >= 10 ? "%.0fx" : "%.2fx", r);
  }

  /** Milliseconds with a sensible precision. */
  public static String millis(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f ms" : "%.1f ms", value);
  }

  public static String bytes(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (Math.abs(value) >= 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", value / (1024 * 1024));
    }
    if (Math.abs(value) >= 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", value / 1024);
    }
    return String.format(Locale.ROOT, "%.0f B", value);
  }
}
