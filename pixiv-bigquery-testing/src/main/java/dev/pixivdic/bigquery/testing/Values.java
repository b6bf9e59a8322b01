package dev.pixivdic.bigquery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.zetasql.ArrayType;
import com.google.zetasql.Type;
import com.google.zetasql.Value;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cell values between the forms they take: JSON (load files, REST parameters), Java (rows the
 * stand-in holds: String, Long, Double, Boolean, Instant, LocalDate, LocalDateTime, BigDecimal,
 * List for REPEATED), ZetaSQL values, and REST result cells.
 */
final class Values {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Values() {}

  /**
   * A JSON value as the column's Java value, converted as a BigQuery load converts it.
   *
   * @throws IllegalArgumentException saying why the value does not fit the column
   */
  static Object fromJson(JsonNode node, Column c) {
    if (c.repeated()) {
      if (node == null || node.isNull()) {
        return List.of();
      }
      if (!node.isArray()) {
        throw new IllegalArgumentException("Array specified for non-repeated field or a value"
            + " for repeated field " + c.name());
      }
      List<Object> out = new ArrayList<>();
      Column element = new Column(c.name(), c.type(), false);
      for (JsonNode e : node) {
        Object v = fromJson(e, element);
        if (v == null) {
          throw new IllegalArgumentException("NULL element in repeated field " + c.name());
        }
        out.add(v);
      }
      return List.copyOf(out);
    }
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isContainerNode()) {
      throw new IllegalArgumentException("a " + (node.isArray() ? "list" : "record")
          + " for the " + c.type() + " field " + c.name());
    }
    String text = node.asText();
    try {
      return switch (c.standardType()) {
        case "STRING" -> text;
        case "INT64" -> node.isIntegralNumber() ? node.longValue() : Long.parseLong(text.strip());
        case "FLOAT64" -> node.isNumber() ? node.doubleValue() : Double.parseDouble(text.strip());
        case "BOOL" -> bool(text);
        case "TIMESTAMP" -> node.isNumber()
            ? Instant.EPOCH.plus(node.decimalValue().movePointRight(6).longValue(),
                ChronoUnit.MICROS)
            : timestamp(text);
        case "DATE" -> LocalDate.parse(text.strip());
        case "DATETIME" -> datetime(text);
        case "NUMERIC" -> new BigDecimal(text.strip());
        default -> throw new IllegalArgumentException("type " + c.type());
      };
    } catch (NumberFormatException | DateTimeException e) {
      throw new IllegalArgumentException("Could not parse '" + text + "' as " + c.standardType()
          + " for field " + c.name(), e);
    }
  }

  /** A Java value given to the stand-in's API, as the column's value. */
  static Object fromJava(Object v, Column c) {
    return fromJson(toJson(v), c);
  }

  private static JsonNode toJson(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof List<?> list) {
      ArrayNode a = NODES.arrayNode();
      list.forEach(e -> a.add(toJson(e)));
      return a;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      return NODES.numberNode(((Number) v).longValue());
    }
    if (v instanceof Double || v instanceof Float) {
      return NODES.numberNode(((Number) v).doubleValue());
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (v instanceof LocalDateTime t) {
      // LocalDateTime.toString() leaves out zero seconds, which BigQuery requires.
      return new TextNode(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").format(t));
    }
    return new TextNode(v.toString());
  }

  private static final Pattern DATETIME = Pattern.compile(
      "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ Tt](\\d{1,2}):(\\d{1,2}):(\\d{1,2})"
      + "(?:\\.(\\d{1,6}))?)?");

  /**
   * BigQuery's canonical DATETIME, {@code YYYY-[M]M-[D]D[( |T)[H]H:[M]M:[S]S[.F]]} with up to
   * six fractional digits: a time of day without its seconds is refused, as BigQuery refuses it.
   */
  private static LocalDateTime datetime(String text) {
    Matcher m = DATETIME.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid datetime string \"" + text + "\"");
    }
    return LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)), m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
        m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
        m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000").substring(0, 6)) * 1000);
  }

  private static Boolean bool(String text) {
    String t = text.strip();
    if (t.equalsIgnoreCase("true")) {
      return true;
    }
    if (t.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("Could not parse '" + text + "' as BOOL");
  }

  /** A BigQuery timestamp literal: {@code 2026-11-16 03:00:00.000000+00:00}, ISO-8601, UTC. */
  static Instant timestamp(String text) {
    String t = text.strip().replace(' ', 'T');
    if (t.endsWith("TUTC")) {
      t = t.substring(0, t.length() - 4) + "Z";
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }
  }

  static Value toZeta(Object v, Type type) {
    if (type.isArray()) {
      ArrayType at = type.asArray();
      List<Value> elements = new ArrayList<>();
      if (v != null) {
        for (Object e : (List<?>) v) {
          elements.add(toZeta(e, at.getElementType()));
        }
      }
      return Value.createArrayValue(at, elements);
    }
    if (v == null) {
      return Value.createNullValue(type);
    }
    return switch (type.getKind()) {
      case TYPE_STRING -> Value.createStringValue((String) v);
      case TYPE_INT64 -> Value.createInt64Value((Long) v);
      case TYPE_DOUBLE -> Value.createDoubleValue((Double) v);
      case TYPE_BOOL -> Value.createBoolValue((Boolean) v);
      case TYPE_TIMESTAMP -> Value.createTimestampValueFromUnixMicros(
          ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) v));
      case TYPE_DATE -> Value.createDateValue((LocalDate) v);
      case TYPE_DATETIME -> Value.createDatetimeValue((LocalDateTime) v);
      case TYPE_NUMERIC -> Value.createNumericValue((BigDecimal) v);
      default -> throw new IllegalArgumentException("type " + type.getKind() + " not modelled");
    };
  }

  static Object fromZeta(Value v) {
    Type type = v.getType();
    if (type.isArray()) {
      if (v.isNull()) {
        return List.of();
      }
      List<Object> out = new ArrayList<>();
      for (Value e : v.getElementList()) {
        out.add(fromZeta(e));
      }
      return List.copyOf(out);
    }
    if (v.isNull()) {
      return null;
    }
    return switch (type.getKind()) {
      case TYPE_STRING -> v.getStringValue();
      case TYPE_INT64 -> v.getInt64Value();
      case TYPE_DOUBLE -> v.getDoubleValue();
      case TYPE_BOOL -> v.getBoolValue();
      case TYPE_TIMESTAMP -> Instant.EPOCH.plus(v.getTimestampUnixMicros(), ChronoUnit.MICROS);
      case TYPE_DATE -> v.getLocalDateValue();
      case TYPE_DATETIME -> v.getLocalDateTimeValue();
      case TYPE_NUMERIC -> v.getNumericValue();
      default -> throw new IllegalArgumentException("type " + type.getKind() + " not modelled");
    };
  }

  /**
   * A cell of a REST result ({@code {"v": ...}}'s value): text for scalars; a TIMESTAMP in
   * microseconds when the client asked for {@code useInt64Timestamp}, else in seconds.
   */
  static JsonNode toRest(Object v, boolean int64Timestamp) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof List<?> list) {
      ArrayNode a = NODES.arrayNode();
      for (Object e : list) {
        a.addObject().set("v", toRest(e, int64Timestamp));
      }
      return a;
    }
    if (v instanceof Instant i) {
      long micros = ChronoUnit.MICROS.between(Instant.EPOCH, i);
      return new TextNode(int64Timestamp ? Long.toString(micros)
          : BigDecimal.valueOf(micros, 6).toPlainString());
    }
    if (v instanceof BigDecimal d) {
      return new TextNode(d.toPlainString());
    }
    return new TextNode(v.toString());
  }

  /** A REST query parameter ({@code parameterType}, {@code parameterValue}) as a Java value. */
  static Object parameter(JsonNode type, JsonNode value) {
    String t = type.path("type").asText();
    if (t.equals("ARRAY")) {
      List<Object> out = new ArrayList<>();
      for (JsonNode e : value.path("arrayValues")) {
        out.add(parameter(type.path("arrayType"), e));
      }
      return List.copyOf(out);
    }
    JsonNode v = value.path("value");
    return fromJson(v.isMissingNode() ? NODES.nullNode() : v, new Column("@", t, false));
  }

  /** A REST parameter type as {@link Statement} writes it: {@code INT64}, {@code ARRAY<STRING>}. */
  static String parameterType(JsonNode type) {
    String t = type.path("type").asText();
    return t.equals("ARRAY") ? "ARRAY<" + parameterType(type.path("arrayType")) + ">" : t;
  }

  static Map<String, Object> row(List<Column> columns, List<Value> values) {
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      row.put(columns.get(i).name(), fromZeta(values.get(i)));
    }
    return row;
  }
}
