package dev.pixivdic.support.cli;

import dev.pixivdic.support.internal.WholeNumberText;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The picocli converters of {@code pixiv}'s {@code int} and {@code long} options: ASCII digits
 * with an optional sign, blanks around the value ignored. {@code Integer.parseInt} reads any
 * script's digits ({@code "٣"} is 3) and refuses {@code " 5"}. {@code pixiv} reads its options
 * with these, and the launcher checks the arguments it gives every pod with the same ones.
 */
public final class WholeNumbers {

  /** An {@code int}. */
  public static final ITypeConverter<Integer> INT = v -> {
    long n = whole(v, "an int");
    if (n != (int) n) {
      throw new TypeConversionException("'" + v + "' is not an int");
    }
    return (int) n;
  };

  /** A {@code long}. */
  public static final ITypeConverter<Long> LONG = v -> whole(v, "a long");

  private WholeNumbers() {}

  /**
   * An {@code int} count or index ({@code --shards}, {@code --parallelism}): ASCII digits without
   * a sign, as {@link WholeNumberText#parseUnsigned} reads them; the option's range is checked
   * where it is used.
   */
  public static final class Unsigned implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String v) {
      long n = WholeNumberText.parseUnsigned(v).orElseThrow(() -> new TypeConversionException(
          "'" + v + "' is not an int written in ASCII digits without a sign"));
      if (n != (int) n) {
        throw new TypeConversionException("'" + v + "' is not an int");
      }
      return (int) n;
    }
  }

  private static long whole(String v, String what) {
    return WholeNumberText.parse(v).orElseThrow(
        () -> new TypeConversionException("'" + v + "' is not " + what));
  }
}
