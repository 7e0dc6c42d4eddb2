import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planManifest } from '../../../../main/catalog/manifest-reader';
import { tempDir, writeFile } from './support/catalog-fixtures';

describe('planManifest', () => {
  it('counts entries and collects every problem first, then yields entries batch by batch', async () => {
    const root = tempDir('sonofuse-plan-');
    const rows = ['file,label,note,site'];
    for (let i = 0; i < 70; i++)
      rows.push(i % 10 === 9 ? `,x,empty file cell ${i},s` : `${i}.png,x,n${i},s${i}`);
    const path = writeFile(root, 'm.csv', `${rows.join('\n')}\n`);
    const plan = await planManifest(path, { mapping: {}, multiLabel: false });
    expect(plan.total).toBe(63);
    expect(plan.issues.map((i) => [i.line, i.code])).toEqual(
      [10, 20, 30, 40, 50, 60, 70].map((line) => [line + 1, 'missing-field']),
    );
    const sizes: number[] = [];
    const files: string[] = [];
    for await (const batch of plan.batches(32)) {
      sizes.push(batch.length);
      files.push(...batch.map((e) => e.file));
    }
    expect(sizes).toEqual([32, 31]);
    expect(files.slice(0, 3)).toEqual(['0.png', '1.png', '2.png']);
    const first = (await plan.batches(1)[Symbol.asyncIterator]().next()).value![0]!;
    expect(first).toMatchObject({ file: '0.png', line: 2, note: 'n0', labels: ['x'], confineTo: root });
    expect(Object.getPrototypeOf(first.metadata)).toBeNull();
    expect({ ...first.metadata }).toEqual({ site: 's0' });
    expect(first.path).toBe(join(root, '0.png'));
  });

  it('parses rows in batches and still names the one malformed row among hundreds', async () => {
    const root = tempDir('sonofuse-plan-');
    const rows = ['file,label,note'];
    for (let i = 0; i < 600; i++)
      rows.push(
        i === 300 ? `${i}.png,x,"bad"quote` : `${i}.png,x,"note ${i}, with a comma\nand a second line"`,
      );
    const path = writeFile(root, 'm.csv', `${rows.join('\n')}\n`);
    const plan = await planManifest(path, { mapping: {}, multiLabel: false });
    expect(plan.total).toBe(599);
    expect(plan.issues).toEqual([
      { file: 'm.csv', line: 602, code: 'malformed-row', reason: expect.stringContaining('malformed CSV') },
    ]);
    const entries = [];
    for await (const batch of plan.batches(100)) entries.push(...batch);
    // Every row spans two lines: row i starts on line 2 + 2i (the bad row 300 holds one line).
    expect(entries[299]).toMatchObject({
      file: '299.png',
      line: 600,
      note: 'note 299, with a comma\nand a second line',
    });
    expect(entries[300]).toMatchObject({ file: '301.png', line: 603 });
    expect(entries.at(-1)).toMatchObject({ file: '599.png', line: 1199 });
  });
});
