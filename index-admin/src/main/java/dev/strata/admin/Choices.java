package dev.strata.admin;

import dev.strata.embedder.Device;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * The lower-case values an enum-typed option takes, for {@code ${COMPLETION-CANDIDATES}} in its
 * help and for shell completion; the parser accepts them in any case.
 */
abstract class Choices<E extends Enum<E>> implements Iterable<String> {
  private final Class<E> type;

  Choices(Class<E> type) {
    this.type = type;
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(type.getEnumConstants()).map(Choices::name).iterator();
  }

  /** How an operator writes {@code value}. */
  static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  static final class Devices extends Choices<Device> {
    Devices() {
      super(Device.class);
    }
  }

  static final class FusionKinds extends Choices<FusionOptions.Kind> {
    FusionKinds() {
      super(FusionOptions.Kind.class);
    }
  }

  static final class InputFormats extends Choices<IngestCommand.InputFormat> {
    InputFormats() {
      super(IngestCommand.InputFormat.class);
    }
  }

  static final class EvalModes extends Choices<EvalCommand.Mode> {
    EvalModes() {
      super(EvalCommand.Mode.class);
    }
  }
}
