package dev.strata.admin;

import dev.strata.core.Record;
import dev.strata.core.TextRecord;

/** Turns one input line into a record, or says why it cannot: JSONL and CSV ingest share the rest. */
interface RecordLineParser {
  /** A record with its vector. */
  Record parse(String line) throws JsonRecordParser.MalformedRecordException;

  /** A record to embed: text, no vector. */
  TextRecord parseText(String line) throws JsonRecordParser.MalformedRecordException;
}
