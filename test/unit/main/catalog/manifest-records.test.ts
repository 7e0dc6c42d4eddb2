import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifestRecords, type ManifestRecord } from '../../../../main/catalog/manifest-records';
import { tempDir } from './support/catalog-fixtures';

const records = async (bytes: Buffer | string, maxRecordChars = 1000): Promise<ManifestRecord[]> => {
  const path = join(tempDir('sonofuse-records-'), 'm.csv');
  writeFileSync(path, bytes);
  const out: ManifestRecord[] = [];
  for await (const r of readManifestRecords(path, { maxRecordChars })) out.push(r);
  return out;
};

const texts = (rs: ManifestRecord[]) =>
  rs.map((r) => (r.kind === 'text' ? [r.line, r.text] : [r.line, r.kind]));

describe('readManifestRecords', () => {
  it('cuts records at LF, CRLF and CR outside quotes, keeps quoted line breaks, skips empty lines', async () => {
    const rs = await records('h1,h2\r\na,"x\r\ny"\n\n\nb,"say ""hi""\nthere"\rc,d');
    expect(texts(rs)).toEqual([
      [1, 'h1,h2'],
      [2, 'a,"x\r\ny"'],
      [6, 'b,"say ""hi""\nthere"'],
      [8, 'c,d'],
    ]);
  });

  it('treats a quote inside an unquoted cell as text and a stray character after a closing quote as ending quoting', async () => {
    expect(texts(await records('a,b"c\nd,"e"f,g\nh,i\n'))).toEqual([
      [1, 'a,b"c'],
      [2, 'd,"e"f,g'],
      [3, 'h,i'],
    ]);
  });

  it('reports a record over the limit with its lines and size, across chunk boundaries, and goes on', async () => {
    const big = `"${'x'.repeat(100_000)}\n${'y'.repeat(100_000)}"`; // spans chunks of 64 KiB and two lines
    const rs = await records(`file,note\na.png,${big}\nb.png,ok\n`, 1000);
    expect(rs).toEqual([
      { kind: 'text', line: 1, text: 'file,note', invalidUtf8: false },
      { kind: 'oversize', line: 2, lastLine: 3, chars: 6 + big.length },
      { kind: 'text', line: 4, text: 'b.png,ok', invalidUtf8: false },
    ]);
  });

  it('keeps a CRLF split across two chunks as one line break', async () => {
    const head = 'h\n' + 'a'.repeat(65_536 - 3) + '\r'; // the CR ends the first 64 KiB chunk
    const rs = await records(`${head}\nnext\n`, 100_000);
    expect(rs.map((r) => r.line)).toEqual([1, 2, 3]);
  });

  it('decodes UTF-8 with a BOM and UTF-16 LE/BE with a BOM; flags invalid UTF-8 from where it appears', async () => {
    const text = 'file,note\né.png,café\n';
    expect(texts(await records(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])))).toEqual(
      [
        [1, 'file,note'],
        [2, 'é.png,café'],
      ],
    );
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(texts(await records(le))).toEqual(texts(await records(text)));
    const be = Buffer.from(le);
    be.swap16();
    expect(texts(await records(be))).toEqual(texts(await records(text)));
    const latin1 = await records(Buffer.from('file\nok\ncaf\xe9\n', 'latin1'));
    expect(latin1.map((r) => r.kind === 'text' && [r.text, r.invalidUtf8])).toEqual([
      ['file', true],
      ['ok', true],
      ['caf\uFFFD', true],
    ]);
  });
});
