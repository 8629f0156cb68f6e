package dev.strata.core.internal.records;

import dev.strata.core.MetadataType;
import java.util.Map;

/**
 * A record that passed every rule: its vector is a private copy (normalised where the schema says
 * so) and its numeric metadata values are doubles.
 */
public record ValidatedRecord(
    String id,
    float[] vector,
    String text,
    Map<String, Object> metadata,
    Map<String, MetadataType> fieldTypes,
    String source) {}
