package dev.pixivdic.bigquery.testing;

import com.google.zetasql.EvaluatorTableModifyResponse;
import com.google.zetasql.Parser;
import com.google.zetasql.PreparedModify;
import com.google.zetasql.PreparedQuery;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SqlException;
import com.google.zetasql.TableContent;
import com.google.zetasql.Type;
import com.google.zetasql.Value;
import com.google.zetasql.parser.ASTMergeActionEnums.ActionType;
import com.google.zetasql.parser.ASTMergeWhenClauseEnums.MatchType;
import com.google.zetasql.parser.ASTNode;
import com.google.zetasql.parser.ASTNodes.ASTMergeAction;
import com.google.zetasql.parser.ASTNodes.ASTMergeStatement;
import com.google.zetasql.parser.ASTNodes.ASTMergeWhenClause;
import com.google.zetasql.parser.ASTNodes.ASTStatement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs statements with ZetaSQL's reference evaluator over the rows the stand-in holds: queries
 * as they are, and an insert-only MERGE ({@code WHEN NOT MATCHED THEN INSERT}) as the
 * equivalent {@code INSERT ... SELECT ... WHERE NOT EXISTS}, since the evaluator has no MERGE.
 * Callers hold the stand-in's lock.
 */
final class Engine {

  /** A query's answer: its columns and its rows, in order. */
  record Result(List<Column> columns, List<List<Object>> rows) {}

  private Engine() {}

  static Result query(String sql, Map<String, String> parameterTypes,
      Map<String, Object> parameters, Map<String, StoredTable> tables) {
    Map<String, List<Column>> schemas = new LinkedHashMap<>();
    Map<String, TableContent> contents = new HashMap<>();
    load(tables, schemas, contents, 0);
    SimpleCatalog catalog = BigQuerySql.catalog(schemas);
    try (PreparedQuery q = PreparedQuery.builder().setSql(sql)
        .setAnalyzerOptions(BigQuerySql.options(parameterTypes)).setCatalog(catalog)
        .setTablesContents(contents).prepare()) {
      TableContent out = q.execute(values(parameterTypes, parameters));
      List<Column> columns = new ArrayList<>();
      for (SimpleColumn c : q.getColumns()) {
        String[] f = BigQuerySql.field(c.getType());
        columns.add(new Column(c.getName(), f[0], f[1].equals("REPEATED")));
      }
      List<List<Object>> rows = new ArrayList<>();
      for (List<Value> row : out.getTableData()) {
        List<Object> r = new ArrayList<>();
        row.forEach(v -> r.add(Values.fromZeta(v)));
        rows.add(r);
      }
      return new Result(columns, rows);
    }
  }

  /**
   * The rows an insert-only MERGE adds to its target, in the target's column order.
   *
   * @throws SqlException when the statement does not analyze or is not an insert-only MERGE
   */
  static List<Map<String, Object>> merge(String sql, Map<String, String> parameterTypes,
      Map<String, Object> parameters, Map<String, StoredTable> tables, StoredTable target) {
    String insert = asInsert(sql);
    Map<String, List<Column>> schemas = new LinkedHashMap<>();
    Map<String, TableContent> contents = new HashMap<>();
    load(tables, schemas, contents, 0);
    try (PreparedModify m = PreparedModify.builder().setSql(insert)
        .setAnalyzerOptions(BigQuerySql.options(parameterTypes))
        .setCatalog(BigQuerySql.catalog(schemas)).setTablesContents(contents).prepare()) {
      EvaluatorTableModifyResponse r = m.execute(values(parameterTypes, parameters));
      List<Column> columns = target.columns();
      List<Map<String, Object>> added = new ArrayList<>();
      for (EvaluatorTableModifyResponse.Row row : r.getContent()) {
        if (row.getOperation() == EvaluatorTableModifyResponse.Row.Operation.INSERT) {
          added.add(Values.row(columns, row.getContent()));
        }
      }
      return added;
    }
  }

  /** The target table's name path of a MERGE. */
  static String mergeTarget(String sql) {
    ASTMergeStatement merge = parseMerge(sql);
    return text(sql, merge.getTargetPath()).replace("`", "");
  }

  private static ASTMergeStatement parseMerge(String sql) {
    ASTStatement statement = Parser.parseStatement(sql, BigQuerySql.language());
    if (!(statement instanceof ASTMergeStatement merge)) {
      throw new IllegalArgumentException("not a MERGE");
    }
    return merge;
  }

  private static String asInsert(String sql) {
    ASTMergeStatement merge = parseMerge(sql);
    List<ASTMergeWhenClause> clauses = merge.getWhenClauses().getClauseList();
    if (clauses.size() != 1
        || clauses.get(0).getMatchType() != MatchType.NOT_MATCHED_BY_TARGET
        || clauses.get(0).getAction().getActionType() != ActionType.INSERT) {
      throw new UnsupportedOperationException("the stand-in evaluates an insert-only MERGE"
          + " (one WHEN NOT MATCHED THEN INSERT clause) and nothing else");
    }
    ASTMergeWhenClause clause = clauses.get(0);
    ASTMergeAction action = clause.getAction();
    String target = text(sql, merge.getTargetPath());
    String alias = merge.getAlias() == null ? target
        : text(sql, merge.getAlias()).replaceFirst("(?i)^AS\\s+", "");
    String values = text(sql, action.getInsertRow()).strip();
    if (values.startsWith("(") && values.endsWith(")")) {
      values = values.substring(1, values.length() - 1);
    }
    String columns = action.getInsertColumnList() == null ? ""
        : " " + text(sql, action.getInsertColumnList());
    String extra = clause.getSearchCondition() == null ? ""
        : " AND (" + text(sql, clause.getSearchCondition()) + ")";
    return "INSERT INTO " + target + columns + "\nSELECT " + values + "\nFROM "
        + text(sql, merge.getTableExpression()) + "\nWHERE NOT EXISTS (SELECT 1 FROM " + target
        + " AS " + alias + " WHERE " + text(sql, merge.getMergeCondition()) + ")" + extra;
  }

  /** The source text of a node; ZetaSQL's locations are UTF-8 byte offsets. */
  private static String text(String sql, ASTNode node) {
    byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
    int start = node.getParseLocationRange().start();
    int end = node.getParseLocationRange().end();
    return new String(bytes, start, end - start, StandardCharsets.UTF_8);
  }

  /**
   * Every table's schema and content; a view's content is its query's answer. A view whose query
   * no longer evaluates (its table was deleted) is left out, so that, as in BigQuery, it fails
   * only the statements that read it.
   */
  private static void load(Map<String, StoredTable> tables, Map<String, List<Column>> schemas,
      Map<String, TableContent> contents, int depth) {
    for (StoredTable t : tables.values()) {
      List<Column> columns = t.columns();
      List<List<Value>> data = new ArrayList<>();
      if (t.isView()) {
        if (depth > 0) {
          continue;
        }
        Map<String, StoredTable> plain = new LinkedHashMap<>(tables);
        plain.values().removeIf(StoredTable::isView);
        Result r;
        try {
          r = query(t.viewSql().orElseThrow(), Map.of(), Map.of(), plain);
        } catch (SqlException e) {
          continue;
        }
        for (List<Object> row : r.rows()) {
          List<Value> values = new ArrayList<>();
          for (int i = 0; i < columns.size(); i++) {
            values.add(Values.toZeta(row.get(i), BigQuerySql.type(columns.get(i))));
          }
          data.add(values);
        }
      } else {
        for (Map<String, Object> row : t.rows) {
          List<Value> values = new ArrayList<>();
          for (Column c : columns) {
            values.add(Values.toZeta(StoredTable.value(row, c.name()), BigQuerySql.type(c)));
          }
          data.add(values);
        }
      }
      schemas.put(t.id, columns);
      contents.put(t.id, TableContent.create(data));
    }
  }

  private static Map<String, Value> values(Map<String, String> types,
      Map<String, Object> parameters) {
    Map<String, Value> out = new HashMap<>();
    types.forEach((name, type) -> {
      Type t = BigQuerySql.parameterType(type);
      out.put(name, Values.toZeta(parameters.get(name), t));
    });
    return out;
  }
}
