package dev.strata.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded passages of about a given size in bytes, words drawn from a small vocabulary: a RAG
 * chunk's weight for the stored-hits row of a benchmark whose vectors have no texts of their own.
 */
final class SyntheticTexts {
  private static final String[] WORDS = (
      "the of and to in a is that for it as was with be by on not he this are or his from at which but have an they "
      + "cell protein gene expression patients study results effect treatment risk disease clinical analysis human "
      + "increased levels model data response associated activity role function significant mice tumor receptor")
      .split(" ");

  private SyntheticTexts() {}

  /** {@code count} passages of {@code bytes} ASCII bytes or a word more. */
  static List<String> of(int count, int bytes, long seed) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>(count);
    StringBuilder text = new StringBuilder(bytes + 16);
    for (int i = 0; i < count; i++) {
      text.setLength(0);
      while (text.length() < bytes) {
        text.append(text.isEmpty() ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
      }
      texts.add(text.toString());
    }
    return texts;
  }
}
