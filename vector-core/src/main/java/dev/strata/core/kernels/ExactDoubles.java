package dev.strata.core.kernels;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Metadata numbers are stored and compared as doubles, which hold every integer up to 2^53 and,
 * beyond it, only some. A number beyond 2^53 that no double holds exactly (9007199254740993,
 * however it is spelled: as an integer, {@code 9007199254740993.0} or {@code 9.007199254740993e15})
 * would be stored, or matched, as its neighbour: refused instead. Below 2^53 a decimal fraction
 * rounds to the nearest double as everywhere else (0.1 is accepted).
 */
public final class ExactDoubles {
  private static final BigDecimal LIMIT = new BigDecimal(BigInteger.ONE.shiftLeft(53));

  private ExactDoubles() {}

  /** Null when {@code n} is held exactly enough by a double; else why not, for an error message. */
  public static String whyNot(Number n) {
    BigDecimal exact = switch (n) {
      case Long l -> BigDecimal.valueOf(l);
      case BigInteger b -> new BigDecimal(b);
      case BigDecimal b -> b;
      default -> null; // int, short and byte always fit; a Double or Float is already what will be stored
    };
    if (exact == null || exact.abs().compareTo(LIMIT) <= 0) {
      return null;
    }
    double d = exact.doubleValue();
    if (Double.isFinite(d) && new BigDecimal(d).compareTo(exact) == 0) {
      return null;
    }
    return "number " + exact.toPlainString() + " is beyond 2^53, where a double cannot hold it exactly (it would be "
        + (Double.isFinite(d) ? new BigDecimal(d).toPlainString() : "infinite") + "); store it as a string";
  }
}
