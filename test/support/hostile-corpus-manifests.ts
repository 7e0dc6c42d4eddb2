import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeImage } from '../unit/main/catalog/support/catalog-fixtures';
import type { HostileCase, HostileExpectation } from './hostile-corpus-types';

/**
 * Hostile manifests (every kind of bad row, bad header, encoding, line ending, huge cell, prototype
 * keys, path tricks) and folders with weird names. Each manifest sits in its own folder beside the
 * images it names, so a case's outcome depends on that case alone.
 */

const NOT_READ = ['not-found', 'unreadable'] as const;
const ROW = ['malformed-row'] as const;
/** A row over the record-size limit: reported as too large (or as a malformed row). */
const HUGE_ROW = ['too-large', 'malformed-row'] as const;
const OUTSIDE = ['outside-folder'] as const;

/** Keys every plain object inherits: a column named like one must still be an ordinary key. */
export const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;
/** A file name with a right-to-left override: shows as `scan-exe.png` but is `scan-‮gnp.exe`. */
export const RTL_NAME = 'scan-\u202Egnp.exe';
/** An absolute path outside every manifest folder that exists, and one that does not. */
export const OUTSIDE_EXISTING = '/etc/passwd';
export const OUTSIDE_MISSING = '/nonexistent-sonofuse-corpus/x.png';

export const manifestCases = async (root: string): Promise<HostileCase[]> => {
  let seed = 1;
  const image = async (dir: string, name: string): Promise<string> => {
    const path = join(dir, name);
    writeFileSync(path, await makeImage(12, 10, seed++));
    return path;
  };
  const outside = join(root, 'outside');
  mkdirSync(outside, { recursive: true });
  const outsideImage = await image(outside, 'x.png');
  /** A folder with a.png, b.png, c.png and a manifest; returns the manifest's path. */
  const manifest = async (name: string, csv: string | Buffer, extra: string[] = []): Promise<string> => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    for (const file of ['a.png', 'b.png', 'c.png', ...extra]) await image(dir, file);
    const path = join(dir, 'manifest.csv');
    writeFileSync(path, csv);
    return path;
  };
  const csvCase = async (
    name: string,
    csv: string | Buffer,
    expect: HostileExpectation,
    why: string,
    extra: string[] = [],
  ): Promise<HostileCase> => ({
    name: `csv-${name}`,
    group: 'csv',
    source: await manifest(name, csv, extra),
    expect,
    why,
  });
  const ok = (imported: number): HostileExpectation => ({ imported, errors: [] });
  const HEAD = 'file,label,note\n';
  const GOOD = `${HEAD}a.png,benign,first\nb.png,malignant,second\nc.png,normal,third\n`;
  const refused = (message: RegExp): HostileExpectation => ({
    imported: 0,
    errors: [],
    refused: { code: 'INVALID_INPUT', message },
  });

  const cases: HostileCase[] = [
    await csvCase('good', GOOD, ok(3), 'control: a valid manifest'),
    await csvCase(
      'ragged',
      `${HEAD}a.png,benign,ok\nb.png,benign,too,many,fields\nc.png\n`,
      {
        imported: 1,
        errors: [
          { file: 'b.png', codes: ROW },
          { file: 'c.png', codes: ROW },
        ],
      },
      'rows with more and fewer fields than the header',
    ),
    await csvCase(
      'unterminated-quote',
      `${HEAD}a.png,benign,ok\nb.png,benign,ok\nc.png,benign,"never closed\n`,
      { imported: 2, errors: [{ codes: ROW }] },
      'the last row opens a quote that never closes: the rows before it import',
    ),
    await csvCase(
      'stray-quote',
      `${HEAD}a.png,benign,5" probe\nb.png,benign,ok\nc.png,benign,ok\n`,
      { imported: 2, errors: [{ codes: ROW }] },
      'a quote inside an unquoted field (a measurement in inches)',
    ),
    await csvCase(
      'nul-bytes',
      `${HEAD}a.png,benign,ok\nb\0.png,benign,nul in the name\nc.png,benign,nul\0in the note\n`,
      // The path guard cannot place a NUL path inside the folder, so it is refused as outside it.
      { imported: 2, errors: [{ file: 'b\0.png', codes: [...NOT_READ, ...ROW, ...OUTSIDE] }] },
      'NUL bytes in a path (never read: the OS refuses it) and in a note (stored)',
    ),
    await csvCase('bom-utf8', `\uFEFF${GOOD}`, ok(3), 'Excel writes a UTF-8 byte-order mark'),
    await csvCase(
      'utf16le-bom',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]),
      ok(3),
      '"Unicode text" from Excel is UTF-16 with a BOM',
    ),
    await csvCase('crlf', GOOD.replace(/\n/g, '\r\n'), ok(3), 'Windows line endings'),
    await csvCase('cr-only', GOOD.replace(/\n/g, '\r'), ok(3), 'classic Mac line endings'),
    await csvCase(
      'line-ending-mix',
      `${HEAD.replace('\n', '\r\n')}a.png,benign,ok\r\nb.png,benign,"two\nlines"\r\nc.png,benign,ok\n`,
      ok(3),
      'CRLF rows, a quoted LF inside a note, a final LF',
    ),
    await csvCase(
      'huge-cell',
      `${HEAD}a.png,benign,ok\nb.png,benign,${'x'.repeat(3_000_000)}\nc.png,benign,ok\n`,
      { imported: 2, errors: [{ codes: HUGE_ROW }] },
      'a 3 MB note (over the 1 MiB record limit): reported, the other rows import (issue #14 item 4)',
    ),
    await csvCase(
      'huge-quoted-cell-unclosed',
      `${HEAD}a.png,benign,ok\nb.png,benign,"${'y'.repeat(2_000_000)}\nc.png,benign,ok\n`,
      { imported: 1, errors: [{ codes: [...HUGE_ROW] }] },
      'an unclosed quote swallowing 2 MB: one bad record, never the whole file in memory',
    ),
    await csvCase(
      'note-over-limit',
      `${HEAD}a.png,benign,ok\nb.png,benign,${'n'.repeat(150_000)}\nc.png,benign,ok\n`,
      { imported: 2, errors: [{ file: 'b.png', codes: ['too-large'] }] },
      'a 150,000-character note: under the record limit, over the note limit the labeling view has',
    ),
    await csvCase(
      'long-column-name',
      `file,label,${'k'.repeat(5000)}\na.png,benign,v\n`,
      refused(/line 1/),
      'a 5,000-character column name cannot become a metadata key',
    ),
    await csvCase(
      'malformed-header',
      `fi"le,label,note\na.png,benign,ok\nfile,label,note\nb.png,benign,ok\n`,
      refused(/line 1/),
      'a broken header must be refused with its line number, not skipped (issue #14 item 5)',
    ),
    await csvCase(
      'header-unterminated-quote',
      `"file,label,note\na.png,benign,ok\n`,
      refused(/line 1/),
      'the header opens a quote that never closes',
    ),
    await csvCase('no-file-column', 'path,label\na.png,benign\n', refused(/"file"/), 'no file column'),
    await csvCase('empty-manifest', '', refused(/"file"/), 'a 0-byte manifest'),
    await csvCase('header-only', HEAD, ok(0), 'a header and no rows: nothing to do, nothing wrong'),
    await csvCase(
      'duplicate-header',
      'file,label,site,site\na.png,benign,north,south\n',
      refused(/site/),
      'two columns with one name: which one is meant is unknowable, so the manifest is refused naming it',
    ),
    await csvCase(
      'prototype-columns',
      `file,label,${PROTOTYPE_KEYS.join(',')}\n` +
        ['a.png', 'b.png', 'c.png']
          .map((f, i) => `${f},benign,${PROTOTYPE_KEYS.map((k) => `${k}-${i}`).join(',')}`)
          .join('\n') +
        '\n',
      ok(3),
      'columns named like Object.prototype keys are ordinary metadata (issue #14 item 5)',
    ),
    await csvCase(
      'path-dotdot',
      `${HEAD}a.png,benign,ok\n../outside/x.png,benign,escape\n`,
      { imported: 1, errors: [{ file: '../outside/x.png', codes: OUTSIDE }] },
      'a relative path out of the manifest folder (issue #14 item 6)',
    ),
    await csvCase(
      'path-absolute',
      `${HEAD}${OUTSIDE_EXISTING},benign,exists\n${OUTSIDE_MISSING},benign,missing\n/dev/zero,benign,device\n${outsideImage},benign,image\n`,
      {
        imported: 0,
        errors: [OUTSIDE_EXISTING, OUTSIDE_MISSING, '/dev/zero', outsideImage].map((file) => ({
          file,
          codes: OUTSIDE,
        })),
      },
      'absolute paths out of the folder: refused alike, whether they exist or not',
    ),
    await csvCase(
      'path-symlink-outside',
      `${HEAD}link.png,benign,leads out\ninner.png,benign,leads to a file inside\n`,
      { imported: 1, errors: [{ file: 'link.png', codes: OUTSIDE }] },
      'a symlink inside the folder that leads out of it',
    ),
    await csvCase(
      'unicode-nfc-nfd',
      `${HEAD}caf\u00e9-1.png,benign,nfc\ncafe\u0301-2.png,benign,nfd\ncaf\u00e9-2.png,benign,nfc spelling of an nfd name\n`,
      { imported: 2, errors: [{ file: 'caf\u00e9-2.png', codes: NOT_READ }] },
      'NFC and NFD spellings of one name are different files on Linux',
      ['caf\u00e9-1.png', 'cafe\u0301-2.png'],
    ),
    await csvCase(
      'rtl-override',
      `${HEAD}${RTL_NAME},\u202Ebenign,note with \u202E override\n`,
      ok(1),
      'a right-to-left override in a file name, label and note is stored as typed',
      [RTL_NAME],
    ),
    await csvCase(
      'long-names',
      `${HEAD}${'n'.repeat(250)}.png,benign,max\n${'m'.repeat(300)}.png,benign,over NAME_MAX\n${'d/'.repeat(3000)}x.png,benign,over PATH_MAX\n`,
      {
        imported: 1,
        errors: [
          { file: `${'m'.repeat(300)}.png`, codes: NOT_READ },
          { file: `${'d/'.repeat(3000)}x.png`, codes: NOT_READ },
        ],
      },
      'a 254-byte name imports; names over NAME_MAX and PATH_MAX fail with a reason',
      [`${'n'.repeat(250)}.png`],
    ),
    await csvCase(
      'nonexistent',
      `${HEAD}a.png,benign,ok\nmissing.png,benign,gone\n`,
      { imported: 1, errors: [{ file: 'missing.png', codes: ['not-found'] }] },
      'a file the manifest names but nobody copied',
    ),
    await csvCase(
      'empty-file-cell',
      `${HEAD}a.png,benign,ok\n,benign,no file\n  ,benign,blank file\n`,
      { imported: 1, errors: [{ codes: ['missing-field'] }, { codes: ['missing-field'] }] },
      'rows without a file name',
    ),
    await csvCase(
      'invalid-utf8',
      Buffer.concat([
        Buffer.from(`${HEAD}a.png,benign,ok\nb.png,benign,`),
        Buffer.from([0xe9, 0x74, 0xe9]),
        Buffer.from('\n'),
      ]),
      { imported: 1, errors: [{ file: 'b.png', codes: ['encoding'] }] },
      'a Latin-1 note in a UTF-8 manifest',
    ),
    await csvCase(
      'folder-as-file',
      `${HEAD}a.png,benign,ok\nsub,benign,a folder\n`,
      { imported: 1, errors: [{ file: 'sub', codes: ['unreadable'] }] },
      'a row naming a folder',
    ),
    await csvCase(
      'fifo',
      `${HEAD}a.png,benign,ok\npipe.png,benign,a named pipe\n`,
      { imported: 1, errors: [{ file: 'pipe.png', codes: ['empty', 'unreadable', 'not-an-image'] }] },
      'a named pipe: reading it would block the import forever',
    ),
    await csvCase(
      'formula-cells',
      `${HEAD}a.png,benign,"=HYPERLINK(""http://x"",""click"")"\nb.png,-benign,+cmd|' /C calc'!A0\nc.png,@benign,@SUM(1)\n`,
      ok(3),
      'formula-looking cells are data: stored as typed (exports neutralise them)',
    ),
  ];
  // Links and special files the cases above name.
  const dir = (name: string): string => join(root, name);
  symlinkSync(outsideImage, join(dir('path-symlink-outside'), 'link.png'));
  symlinkSync(join(dir('path-symlink-outside'), 'b.png'), join(dir('path-symlink-outside'), 'inner.png'));
  mkdirSync(join(dir('folder-as-file'), 'sub'));
  execFileSync('mkfifo', [join(dir('fifo'), 'pipe.png')]);
  return cases;
};

/** A folder import whose class folders have every awkward name, plus links that go nowhere. */
export const folderCases = async (root: string): Promise<HostileCase[]> => {
  const top = join(root, 'weird folder #%20 \u00fc');
  const classes = [
    ' leading space',
    'trailing space ',
    '\u00fcn\u00ef c\u00f6d\u00e9',
    'rtl-\u202Elive',
    'new\nline',
    'semi;colon|pipe',
    '$(rm -rf ~)',
    'x'.repeat(200),
    'deep',
  ];
  let seed = 500;
  for (const name of classes) {
    const sub = name === 'deep' ? join(top, name, 'a', 'b', 'c', 'd', 'e', 'f') : join(top, name);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'img.png'), await makeImage(10, 8, seed++));
  }
  mkdirSync(join(top, '.hidden'), { recursive: true });
  writeFileSync(join(top, '.hidden', 'secret.png'), await makeImage(10, 8, seed++));
  mkdirSync(join(top, 'links'), { recursive: true });
  symlinkSync(join(top, 'links', 'nowhere.png'), join(top, 'links', 'dangling.png'));
  symlinkSync(join(top, 'links', 'loop.png'), join(top, 'links', 'loop.png'));
  symlinkSync(join(top, 'deep'), join(top, 'links', 'to-folder.png'));
  writeFileSync(join(top, 'links', 'empty.png'), '');
  // A manifest in a folder whose name has spaces, '#', '%20', a newline and an RTL override.
  const odd = join(root, 'm a #%20 \u00fc \u202Eodd\nname');
  mkdirSync(odd, { recursive: true });
  for (const f of ['a.png', 'b.png']) writeFileSync(join(odd, f), await makeImage(10, 8, seed++));
  writeFileSync(join(odd, 'manifest.csv'), 'file,label\na.png,benign\nb.png,malignant\n');
  return [
    {
      name: 'folder-weird-names',
      group: 'folder',
      source: top,
      expect: {
        imported: classes.length,
        errors: [
          { file: 'links/dangling.png', codes: ['not-found'] },
          { file: 'links/loop.png', codes: NOT_READ },
          { file: 'links/to-folder.png', codes: ['unreadable'] },
          { file: 'links/empty.png', codes: ['empty'] },
        ],
      },
      why: 'class folders named with spaces, unicode, RTL override, newline, separators, shell syntax, 200 chars; hidden folder skipped; bad links reported',
    },
    {
      name: 'csv-in-weird-folder',
      group: 'folder',
      source: join(odd, 'manifest.csv'),
      expect: { imported: 2, errors: [] },
      why: 'a manifest whose folder name has spaces, #, %20, a newline and an RTL override',
    },
  ];
};
