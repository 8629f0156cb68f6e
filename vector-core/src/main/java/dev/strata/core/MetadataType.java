package dev.strata.core;

import java.util.Locale;

/** The type a metadata field takes on the first time a record uses it, fixed from then on. */
public enum MetadataType {
  STRING,
  NUMBER;

  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MetadataType of(Object value) {
    return value instanceof Number ? NUMBER : STRING;
  }
}
