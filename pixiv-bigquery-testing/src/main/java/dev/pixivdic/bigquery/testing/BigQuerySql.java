package dev.pixivdic.bigquery.testing;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.SqlException;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLBuiltinFunctionOptions;
import com.google.zetasql.ZetaSQLOptions.LanguageFeature;
import com.google.zetasql.ZetaSQLOptions.NameResolutionMode;
import com.google.zetasql.ZetaSQLOptions.ProductMode;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ZetaSQL, the analyzer behind BigQuery's GoogleSQL dialect, set up as BigQuery uses it: the
 * language features BigQuery enables, the external product mode, QUALIFY as a reserved keyword,
 * every statement kind, and tables named {@code project.dataset.table} the way a backquoted
 * BigQuery name spells them. Thread-safe; the first call loads the native analyzer (seconds).
 */
public final class BigQuerySql {

  /** The language features BigQuery's GoogleSQL enables (those this analyzer version knows). */
  private static final Set<LanguageFeature> FEATURES = EnumSet.of(
      LanguageFeature.FEATURE_ANALYTIC_FUNCTIONS,
      LanguageFeature.FEATURE_NUMERIC_TYPE,
      LanguageFeature.FEATURE_BIGNUMERIC_TYPE,
      LanguageFeature.FEATURE_JSON_TYPE,
      LanguageFeature.FEATURE_INTERVAL_TYPE,
      LanguageFeature.FEATURE_GEOGRAPHY,
      LanguageFeature.FEATURE_TIMESTAMP_NANOS,
      LanguageFeature.FEATURE_TABLESAMPLE,
      LanguageFeature.FEATURE_NAMED_ARGUMENTS,
      LanguageFeature.FEATURE_CREATE_TABLE_PARTITION_BY,
      LanguageFeature.FEATURE_CREATE_TABLE_CLUSTER_BY,
      LanguageFeature.FEATURE_CREATE_VIEW_WITH_COLUMN_LIST,
      LanguageFeature.FEATURE_V_1_1_ORDER_BY_IN_AGGREGATE,
      LanguageFeature.FEATURE_V_1_1_LIMIT_IN_AGGREGATE,
      LanguageFeature.FEATURE_V_1_1_HAVING_IN_AGGREGATE,
      LanguageFeature.FEATURE_V_1_1_NULL_HANDLING_MODIFIER_IN_AGGREGATE,
      LanguageFeature.FEATURE_V_1_1_NULL_HANDLING_MODIFIER_IN_ANALYTIC,
      LanguageFeature.FEATURE_V_1_1_SELECT_STAR_EXCEPT_REPLACE,
      LanguageFeature.FEATURE_V_1_2_CIVIL_TIME,
      LanguageFeature.FEATURE_V_1_2_SAFE_FUNCTION_CALL,
      LanguageFeature.FEATURE_V_1_2_WEEK_WITH_WEEKDAY,
      LanguageFeature.FEATURE_V_1_3_ADDITIONAL_STRING_FUNCTIONS,
      LanguageFeature.FEATURE_V_1_3_ALLOW_DASHES_IN_TABLE_NAME,
      LanguageFeature.FEATURE_V_1_3_CASE_STMT,
      LanguageFeature.FEATURE_V_1_3_CONCAT_MIXED_TYPES,
      LanguageFeature.FEATURE_V_1_3_DATE_ARITHMETICS,
      LanguageFeature.FEATURE_V_1_3_DATE_TIME_CONSTRUCTORS,
      LanguageFeature.FEATURE_V_1_3_DECIMAL_ALIAS,
      LanguageFeature.FEATURE_V_1_3_EXTENDED_DATE_TIME_SIGNATURES,
      LanguageFeature.FEATURE_V_1_3_FORMAT_IN_CAST,
      LanguageFeature.FEATURE_V_1_3_IS_DISTINCT,
      LanguageFeature.FEATURE_V_1_3_LIKE_ANY_SOME_ALL,
      LanguageFeature.FEATURE_V_1_3_NULLS_FIRST_LAST_IN_ORDER_BY,
      LanguageFeature.FEATURE_V_1_3_OMIT_INSERT_COLUMN_LIST,
      LanguageFeature.FEATURE_V_1_3_PIVOT,
      LanguageFeature.FEATURE_V_1_3_UNPIVOT,
      LanguageFeature.FEATURE_V_1_3_QUALIFY,
      LanguageFeature.FEATURE_V_1_3_UNNEST_AND_FLATTEN_ARRAYS,
      LanguageFeature.FEATURE_V_1_3_WITH_RECURSIVE);

  private BigQuerySql() {}

  /** BigQuery's language options. A new copy each call (the class is mutable). */
  static LanguageOptions language() {
    LanguageOptions options = new LanguageOptions();
    options.setNameResolutionMode(NameResolutionMode.NAME_RESOLUTION_DEFAULT);
    options.setProductMode(ProductMode.PRODUCT_EXTERNAL);
    options.setEnabledLanguageFeatures(FEATURES);
    options.setSupportsAllStatementKinds();
    options.enableReservableKeyword("QUALIFY");
    return options;
  }

  /**
   * Why BigQuery's analyzer refuses a statement, or empty when it analyzes.
   *
   * @param sql the statement
   * @param parameterTypes each named parameter's BigQuery type ({@code INT64}, {@code STRING},
   *     {@code TIMESTAMP}, {@code ARRAY<INT64>}, ...)
   * @param tables the catalog: each table's {@code project.dataset.table} name and columns
   * @throws IllegalArgumentException when a parameter type is not one this class models
   */
  public static Optional<String> analysisError(String sql, Map<String, String> parameterTypes,
      Map<String, List<Column>> tables) {
    requireNonNull(sql, "sql");
    try {
      analyze(sql, parameterTypes, tables);
      return Optional.empty();
    } catch (SqlException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The analyzed statement; throws ZetaSQL's {@link SqlException} when it does not analyze. */
  static ResolvedStatement analyze(String sql, Map<String, String> parameterTypes,
      Map<String, List<Column>> tables) {
    return Analyzer.analyzeStatement(sql, options(parameterTypes), catalog(tables));
  }

  static AnalyzerOptions options(Map<String, String> parameterTypes) {
    AnalyzerOptions options = new AnalyzerOptions();
    LanguageOptions language = language();
    options.setLanguageOptions(language);
    parameterTypes.forEach((name, type) -> options.addQueryParameter(name, parameterType(type)));
    return options;
  }

  static SimpleCatalog catalog(Map<String, List<Column>> tables) {
    SimpleCatalog catalog = new SimpleCatalog("bigquery");
    catalog.addZetaSQLFunctionsAndTypes(new ZetaSQLBuiltinFunctionOptions(language()));
    tables.forEach((name, columns) -> {
      SimpleTable table = new SimpleTable(name);
      for (Column c : columns) {
        table.addSimpleColumn(c.name(), type(c));
      }
      catalog.addSimpleTable(table);
    });
    return catalog;
  }

  static Type type(Column c) {
    Type element = TypeFactory.createSimpleType(kind(c.standardType()));
    return c.repeated() ? TypeFactory.createArrayType(element) : element;
  }

  static Type parameterType(String bigQueryType) {
    String t = bigQueryType.toUpperCase(Locale.ROOT).replace(" ", "");
    if (t.startsWith("ARRAY<") && t.endsWith(">")) {
      return TypeFactory.createArrayType(parameterType(t.substring(6, t.length() - 1)));
    }
    return TypeFactory.createSimpleType(kind(new Column("p", t, false).standardType()));
  }

  static TypeKind kind(String standardType) {
    return switch (standardType) {
      case "STRING" -> TypeKind.TYPE_STRING;
      case "INT64" -> TypeKind.TYPE_INT64;
      case "FLOAT64" -> TypeKind.TYPE_DOUBLE;
      case "BOOL" -> TypeKind.TYPE_BOOL;
      case "TIMESTAMP" -> TypeKind.TYPE_TIMESTAMP;
      case "DATE" -> TypeKind.TYPE_DATE;
      case "DATETIME" -> TypeKind.TYPE_DATETIME;
      case "NUMERIC" -> TypeKind.TYPE_NUMERIC;
      default -> throw new IllegalArgumentException("type " + standardType
          + " is not modelled");
    };
  }

  /** The BigQuery (legacy) type name and mode of a ZetaSQL result type, for a schema field. */
  static String[] field(Type t) {
    boolean repeated = t.isArray();
    TypeKind k = repeated ? t.asArray().getElementType().getKind() : t.getKind();
    String name = switch (k) {
      case TYPE_STRING -> "STRING";
      case TYPE_INT64 -> "INTEGER";
      case TYPE_DOUBLE -> "FLOAT";
      case TYPE_BOOL -> "BOOLEAN";
      case TYPE_TIMESTAMP -> "TIMESTAMP";
      case TYPE_DATE -> "DATE";
      case TYPE_DATETIME -> "DATETIME";
      case TYPE_NUMERIC -> "NUMERIC";
      default -> throw new IllegalArgumentException("result type " + k + " is not modelled");
    };
    return new String[] {name, repeated ? "REPEATED" : "NULLABLE"};
  }

  static ImmutableList<String> tableNames(String sql) {
    ImmutableList.Builder<String> names = ImmutableList.builder();
    for (List<String> path : Analyzer.extractTableNamesFromStatement(sql, options(Map.of()))) {
      names.add(String.join(".", path));
    }
    return names.build();
  }
}
