package dev.pixivdic.support.cli;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option in the project's grammar ({@link Durations}) and checks it against the
 * option's range. A command declares one subclass per option, with the range in its no-argument
 * constructor; picocli names the option in the message of a refused value, and the command exits
 * 2. The range is also in the option's description (each command's tests hold the two together).
 */
public class RangedDurationConverter implements ITypeConverter<Duration> {

  private final Duration min;
  private final Duration max;

  /** Accepts durations from {@code min} to {@code max}, both included. */
  protected RangedDurationConverter(Duration min, Duration max) {
    this.min = requireNonNull(min, "min");
    this.max = requireNonNull(max, "max");
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException("min " + min + " is above max " + max);
    }
  }

  @Override
  public Duration convert(String value) {
    Duration d;
    try {
      d = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new TypeConversionException("'" + value + "' is out of range: the duration must be "
          + range());
    }
    return d;
  }

  /** The shortest duration accepted. */
  public final Duration min() {
    return min;
  }

  /** The longest duration accepted. */
  public final Duration max() {
    return max;
  }

  /** The range as the help and the messages show it: {@code from 1s to 10m}. */
  public final String range() {
    return "from " + Durations.format(min) + " to " + Durations.format(max);
  }
}
