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
});
