import { createReadStream } from 'node:fs';

/** One record (row) of a manifest, cut from the stream before any CSV field is parsed. */
export type ManifestRecord =
  | {
      kind: 'text';
      /** 1-based line the record starts on. */
      line: number;
      /** The record's text without its line break (quoted line breaks stay inside). */
      text: string;
      /** The file had bytes that are not valid UTF-8 by the time this record ended. */
      invalidUtf8: boolean;
    }
  | {
      kind: 'oversize';
      line: number;
      /** Last line the record covers (a quoted cell can span lines). */
      lastLine: number;
      /** Characters the record holds; none of them were kept. */
      chars: number;
    };

// Where the scanner stands inside a record (RFC 4180: a quote opens quoting only at a field's start).
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: the next character says whether it was `""` or the closing quote. */
const QUOTE_SEEN = 3;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Text of the manifest, chunk by chunk: UTF-8 (BOM or not) or UTF-16 with a BOM. */
async function* decodedChunks(path: string, flags: { invalidUtf8: boolean }): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let checker: TextDecoder | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    if (!decoder) {
      const utf16 =
        (chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)
          ? chunk[0] === 0xff
            ? 'utf-16le'
            : 'utf-16be'
          : null;
      // TextDecoder drops a leading BOM of its own encoding.
      decoder = new TextDecoder(utf16 ?? 'utf-8');
      checker = utf16 ? null : new TextDecoder('utf-8', { fatal: true });
    }
    if (checker && !flags.invalidUtf8) {
      try {
        checker.decode(chunk, { stream: true });
      } catch {
        flags.invalidUtf8 = true;
      }
    }
    yield decoder.decode(chunk, { stream: true });
  }
  const rest = decoder?.decode() ?? '';
  if (checker && !flags.invalidUtf8) {
    try {
      checker.decode();
    } catch {
      flags.invalidUtf8 = true;
    }
  }
  if (rest) yield rest;
}

/**
 * Streams a manifest as records without ever holding more than `maxRecordChars` of one record: a
 * record over the limit is scanned to its end and reported as `oversize`, its text dropped. Record
 * boundaries follow RFC 4180 (line breaks inside quoted cells belong to the cell; LF, CRLF or CR
 * end a record); empty lines are skipped. Memory stays bounded by the limit, whatever the file.
 */
export async function* readManifestRecords(
  path: string,
  options: { maxRecordChars: number },
): AsyncGenerator<ManifestRecord> {
  const flags = { invalidUtf8: false };
  let state = FIELD_START;
  let parts: string[] = [];
  let chars = 0;
  let startLine = 1;
  let line = 1;
  let afterCr = false;
  const finish = (): ManifestRecord | null => {
    const record: ManifestRecord | null =
      chars === 0
        ? null
        : chars > options.maxRecordChars
          ? { kind: 'oversize', line: startLine, lastLine: line, chars }
          : { kind: 'text', line: startLine, text: parts.join(''), invalidUtf8: flags.invalidUtf8 };
    parts = [];
    chars = 0;
    state = FIELD_START;
    return record;
  };
  for await (const text of decodedChunks(path, flags)) {
    let from = 0;
    const keep = (to: number): void => {
      if (to > from) {
        chars += to - from;
        if (chars <= options.maxRecordChars) parts.push(text.slice(from, to));
        else parts = [];
      }
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (afterCr) {
        afterCr = false;
        if (c === LF) {
          from = i + 1; // The LF of a CRLF that already ended a record.
          continue;
        }
      }
      if (c === LF || c === CR) {
        if (state === QUOTED) {
          if (c === LF || text.charCodeAt(i + 1) !== LF) line++;
          continue;
        }
        keep(i);
        from = i + 1;
        const record = finish();
        if (record) yield record;
        line++;
        startLine = line;
        afterCr = c === CR;
        continue;
      }
      if (state === QUOTED) {
        if (c === QUOTE) state = QUOTE_SEEN;
      } else if (state === QUOTE_SEEN) {
        state = c === QUOTE ? QUOTED : c === COMMA ? FIELD_START : UNQUOTED;
      } else if (c === COMMA) {
        state = FIELD_START;
      } else if (state === FIELD_START) {
        state = c === QUOTE ? QUOTED : UNQUOTED;
      }
    }
    keep(text.length);
  }
  const record = finish();
  if (record) yield record;
}
