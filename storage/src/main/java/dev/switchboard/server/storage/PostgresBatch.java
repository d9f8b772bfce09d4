package dev.switchboard.server.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of written-behind ops on PostgreSQL in one statement, so in one round trip: the
 * generation rows, their usage and dashboard roll-ups, apps, ledger rows, daily usage and budget
 * rows, each table's rows sent as one array per column and inserted with {@code unnest}, every
 * table in a data-modifying CTE of the same {@code INSERT}. Run with auto-commit, the statement is
 * its own transaction: all of it is committed, or none.
 *
 * <p>Why: the writer sent one {@code executeBatch} per table and a {@code COMMIT}, ten round trips
 * a batch, each of which waits for the server's backend to be scheduled; in cluster mode every
 * reply waits for its batch's commit (docs/performance.md, "Cluster mode against one node").
 *
 * <p>The rows are bound by the same code as SQLite's statements ({@link GenerationRows#bind},
 * {@link SqlActivity#bind}, {@link DashboardRollup#bind}, {@link UsageRows#bind}) into a {@link
 * Rows} that keeps what was bound, so both engines write the same values. An {@code INSERT … ON
 * CONFLICT DO UPDATE} may not touch one row twice, so every upsert's rows are folded to one row per
 * conflict key first (apps and budget rows here; the others are folded by their binders), and
 * sorted by that key, so that two nodes take the rows' locks in the same order.
 */
final class PostgresBatch {

  /** One table's part of the statement: its insert, columns' array types, conflict clause. */
  private record Table(String insert, String[] types, String conflict, int keyColumns) {

    /** From one of the single-row statements: {@code INSERT INTO t (…) VALUES (…) [ON …]}. */
    static Table of(String singleRow, String[] types, int keyColumns) {
      int values = singleRow.indexOf(" VALUES ");
      int conflict = singleRow.indexOf(" ON CONFLICT ");
      return new Table(
          singleRow.substring(0, values),
          types,
          conflict < 0 ? "" : singleRow.substring(conflict),
          keyColumns);
    }

    String sql() {
      StringBuilder sb = new StringBuilder(insert).append(" SELECT * FROM unnest(");
      for (int i = 0; i < types.length; i++) {
        sb.append(i == 0 ? "" : ", ").append("?::").append(types[i]).append("[]");
      }
      return sb.append(')').append(conflict).toString();
    }
  }

  private static final String T = "text";
  private static final String D = "date";
  private static final String L = "int8";
  private static final String I = "int4";
  private static final String B = "bool";

  private static final Table GENERATIONS =
      Table.of(
          GenerationRows.INSERT,
          new String[] {
            T, T, T, T, T, T, T, L, L, L, L, B, B, L, L, L, T, T, L, L, L, L, L, L, L, I, I, I, I,
            T, T, T, T, T, T, T, T, B, I, T, T, T, T, T, T
          },
          0);
  private static final Table ROLLUP =
      Table.of(SqlActivity.UPSERT_ROLLUP, new String[] {D, T, T, T, T, L, L, L, L, L, L}, 5);
  private static final Table MODELS =
      Table.of(SqlActivity.UPSERT_MODELS, new String[] {D, T, T, L, L, L, L, L, L}, 3);
  private static final Table APPS = Table.of(SqlActivity.UPSERT_APP, new String[] {T, T, L, L}, 1);
  private static final Table DASHBOARD =
      Table.of(DashboardRollup.UPSERT_ROLLUP, new String[] {I, L, T, L, L, L, L, L}, 3);
  private static final Table LATENCY =
      Table.of(DashboardRollup.UPSERT_LATENCY, new String[] {L, L, L, L, L}, 3);
  private static final Table LEDGER =
      Table.of(UsageRows.INSERT_LEDGER, new String[] {T, D, L, L, L, T}, 0);
  private static final Table DAILY =
      Table.of(UsageRows.UPSERT_DAILY, new String[] {T, D, L, L, L}, 2);
  private static final Table BUDGETS =
      new Table(
          "INSERT INTO budget_usage_daily (scope, subject, day, cost_nanos, byok_nanos, charges)",
          new String[] {T, T, D, L, L, L},
          " ON CONFLICT (scope, subject, day) DO UPDATE SET"
              + " cost_nanos = budget_usage_daily.cost_nanos + excluded.cost_nanos,"
              + " byok_nanos = budget_usage_daily.byok_nanos + excluded.byok_nanos,"
              + " charges = budget_usage_daily.charges + excluded.charges",
          3);

  /** In the order of the statement's parameters; the last one is the main statement. */
  private static final List<Table> TABLES =
      List.of(GENERATIONS, ROLLUP, MODELS, APPS, DASHBOARD, LATENCY, LEDGER, BUDGETS, DAILY);

  static final String SQL = sql();

  private static String sql() {
    StringBuilder sb = new StringBuilder("WITH ");
    for (int i = 0; i < TABLES.size() - 1; i++) {
      sb.append(i == 0 ? "" : ", ").append("t").append(i).append(" AS (");
      sb.append(TABLES.get(i).sql()).append(')');
    }
    return sb.append(' ').append(TABLES.getLast().sql()).toString();
  }

  private PostgresBatch() {}

  /**
   * Writes the records, charges and budget charges in one statement on {@code statement} (prepared
   * from {@link #SQL} on a connection in auto-commit mode).
   */
  static void write(
      Connection connection,
      PreparedStatement statement,
      List<GenerationRecord> generations,
      List<UsageCharge> charges,
      List<BudgetCharge> budgets)
      throws SQLException {
    Rows gens = new Rows(GENERATIONS);
    Rows rollup = new Rows(ROLLUP);
    Rows models = new Rows(MODELS);
    Rows apps = new Rows(APPS);
    Rows dashboard = new Rows(DASHBOARD);
    Rows latency = new Rows(LATENCY);
    Rows ledger = new Rows(LEDGER);
    Rows daily = new Rows(DAILY);
    Rows budgetRows = new Rows(BUDGETS);
    if (!generations.isEmpty()) {
      for (GenerationRecord g : generations) {
        GenerationRows.bind(gens.statement(), g);
        gens.statement().addBatch();
      }
      SqlActivity.bind(generations, rollup.statement(), models.statement(), apps.statement());
      DashboardRollup.bind(generations, dashboard.statement(), latency.statement());
    }
    if (!charges.isEmpty()) {
      UsageRows.bind(charges, ledger.statement(), daily.statement());
    }
    foldApps(apps.rows);
    foldBudgets(budgets, budgetRows.rows);
    List<Rows> all =
        List.of(gens, rollup, models, apps, dashboard, latency, ledger, budgetRows, daily);
    int p = 1;
    for (Rows rows : all) {
      rows.sortByKey();
      String[] types = rows.table.types();
      for (int col = 0; col < types.length; col++) {
        statement.setArray(p++, rows.column(connection, col));
      }
    }
    statement.executeUpdate();
  }

  /**
   * One row per referer, as the single-row upserts in order would leave it: the title of the last
   * record that had one, first seen at the first record, last seen at the latest.
   */
  private static void foldApps(List<Object[]> rows) {
    Map<Object, Object[]> byReferer = new LinkedHashMap<>();
    for (Object[] row : rows) {
      Object[] seen = byReferer.get(row[0]);
      if (seen == null) {
        byReferer.put(row[0], row.clone());
      } else {
        if (row[1] != null) {
          seen[1] = row[1];
        }
        seen[3] = Math.max(((Number) seen[3]).longValue(), ((Number) row[3]).longValue());
      }
    }
    rows.clear();
    rows.addAll(byReferer.values());
  }

  /** One row per scope, subject and day, with the number of charges folded into it. */
  private static void foldBudgets(List<BudgetCharge> budgets, List<Object[]> rows) {
    Map<List<Object>, long[]> sums = new LinkedHashMap<>();
    for (BudgetCharge c : budgets) {
      long[] sum =
          sums.computeIfAbsent(
              List.of(c.scope(), c.subject(), UsageRows.dayText(c.epochDay())), k -> new long[3]);
      sum[0] += Usd.toNanos(c.cost());
      sum[1] += Usd.toNanos(c.byokCost());
      sum[2]++;
    }
    sums.forEach((k, v) -> rows.add(new Object[] {k.get(0), k.get(1), k.get(2), v[0], v[1], v[2]}));
  }

  /**
   * What the binders put into a table's statement: a {@link PreparedStatement} that only keeps the
   * values set and each row added (the binders call nothing else).
   */
  private static final class Rows implements InvocationHandler {

    private static final Comparator<Object> VALUE_ORDER =
        Comparator.nullsFirst(
            (a, b) -> {
              @SuppressWarnings("unchecked")
              Comparable<Object> c = (Comparable<Object>) a;
              return c.compareTo(b);
            });

    final Table table;
    final List<Object[]> rows = new ArrayList<>();
    private Object[] current;
    private PreparedStatement proxy;

    Rows(Table table) {
      this.table = table;
      this.current = new Object[table.types().length];
    }

    PreparedStatement statement() {
      if (proxy == null) {
        proxy =
            (PreparedStatement)
                Proxy.newProxyInstance(
                    PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class},
                    this);
      }
      return proxy;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) {
      switch (method.getName()) {
        case "setString", "setLong", "setInt", "setShort", "setBoolean", "setObject" ->
            current[(Integer) args[0] - 1] = args[1];
        case "setNull" -> current[(Integer) args[0] - 1] = null;
        case "addBatch" -> {
          rows.add(current);
          current = new Object[table.types().length];
        }
        case "clearBatch" -> rows.clear();
        default -> throw new UnsupportedOperationException("PostgresBatch rows: " + method);
      }
      return null;
    }

    /** Sorts an upsert's rows by their conflict key, so every node locks in the same order. */
    void sortByKey() {
      int keys = table.keyColumns();
      if (keys == 0 || rows.size() < 2) {
        return;
      }
      Comparator<Object[]> order = Comparator.comparing(r -> r[0], VALUE_ORDER);
      for (int i = 1; i < keys; i++) {
        int col = i;
        order = order.thenComparing(r -> r[col], VALUE_ORDER);
      }
      rows.sort(order);
    }

    Array column(Connection connection, int col) throws SQLException {
      String type = table.types()[col];
      Object[] values =
          switch (type) {
            case L -> new Long[rows.size()];
            case I -> new Integer[rows.size()];
            case B -> new Boolean[rows.size()];
            default -> new String[rows.size()];
          };
      for (int r = 0; r < values.length; r++) {
        Object v = rows.get(r)[col];
        values[r] =
            v == null
                ? null
                : switch (type) {
                  case L -> ((Number) v).longValue();
                  case I -> ((Number) v).intValue();
                  case B -> (Boolean) v;
                  default -> v.toString();
                };
      }
      return connection.createArrayOf(type.equals(D) ? T : type, values);
    }
  }
}
