package dev.strata.core.internal.records;

/**
 * Unicode's Default_Ignorable_Code_Point property (UAX #44, DerivedCoreProperties.txt), which the
 * JDK does not expose: code points that render as nothing unless a font knows them. Derived as
 * Unicode derives it: every format character (general category Cf), the variation selectors, and
 * Other_Default_Ignorable_Code_Point (PropList.txt: the Hangul fillers, the combining grapheme
 * joiner, Khmer's inherent vowels, the reserved tag and ignorable ranges). Unlike the standard's
 * derivation, the few format characters that do render (Arabic number signs, interlinear
 * annotation marks) are kept in: for an id, invisible or not, they are no help.
 */
final class DefaultIgnorable {
  private DefaultIgnorable() {}

  static boolean is(int cp) {
    return Character.getType(cp) == Character.FORMAT || variationSelector(cp) || otherDefaultIgnorable(cp);
  }

  private static boolean variationSelector(int cp) {
    return (cp >= 0x180B && cp <= 0x180D) || cp == 0x180F || (cp >= 0xFE00 && cp <= 0xFE0F)
        || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  /** PropList.txt's Other_Default_Ignorable_Code_Point (Unicode 15.1). */
  private static boolean otherDefaultIgnorable(int cp) {
    return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 || cp == 0x2065
        || cp == 0x3164 || cp == 0xFFA0 || cp == 0xFFF0 || (cp >= 0xFFF1 && cp <= 0xFFF8)
        || (cp >= 0xE0000 && cp <= 0xE0FFF);
  }
}
