/**
 * Size limits on the text the catalog stores, one copy for every write path: the labeling view's
 * note editor, `catalog:setNote`, the repository and the manifest importer all use these, so a
 * note that can be typed can also be imported, exported and imported again.
 */

/** Longest clinical note, in characters (UTF-16 code units, as `String.length` counts them). */
export const MAX_NOTE_CHARS = 100_000;

/** Longest metadata value, in characters: the same bound as a note. */
export const MAX_METADATA_VALUE_CHARS = MAX_NOTE_CHARS;

/** Longest metadata key (a manifest column name): what a metadata filter accepts. */
export const MAX_METADATA_KEY_CHARS = 100;

/**
 * Largest manifest record (one row, quoted newlines included), in characters. A row over it is
 * reported and skipped without being held in memory; the rest of the manifest imports.
 */
export const MAX_MANIFEST_RECORD_CHARS = 1_048_576;
