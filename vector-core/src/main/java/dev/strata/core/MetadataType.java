package dev.strata.core;

import java.util.Locale;

/** The type a metadata field takes on the first time a record uses it, fixed from then on. */
public enum MetadataType {
  STRING,
  NUMBER;

  /** The name used in messages and JSON. */
  public String externalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type of a metadata value; an {@link IllegalArgumentException} for a type Strata does not store. */
  public static MetadataType of(Object value) {
    return value instanceof Number ? NUMBER : STRING;
  }
}
