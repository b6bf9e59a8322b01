package dev.pixivdic.bigquery.testing;

/** An error the stand-in answers as BigQuery would: an HTTP status, a reason, a message. */
final class StandInException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String reason;

  StandInException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  static StandInException notFound(String what) {
    return new StandInException(404, "notFound", "Not found: " + what);
  }

  static StandInException invalid(String message) {
    return new StandInException(400, "invalid", message);
  }

  static StandInException invalidQuery(String message) {
    return new StandInException(400, "invalidQuery", message);
  }
}
