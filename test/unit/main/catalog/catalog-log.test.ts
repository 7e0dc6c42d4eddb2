import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freshCatalog, importOptions, makeImage } from './support/catalog-fixtures';

describe('catalog events in the System log', () => {
  it('lists relabels with a reason and bulk relabels by id and count, and failed imports by code', async () => {
    const { catalog, logger, dir } = freshCatalog();
    const images = join(dir, 'a.png');
    writeFileSync(images, await makeImage(8, 8, 1));
    writeFileSync(join(dir, 'm.csv'), 'file,label\na.png,head\n');
    const report = await catalog.import(importOptions({ source: join(dir, 'm.csv'), dataset: 'd' }));
    const id = catalog.images({
      datasetId: report.datasetId,
      task: 'label',
      sort: { by: 'id', dir: 'asc' },
      offset: 0,
      limit: 5,
    }).items[0]!.id;
    catalog.setLabels({ imageId: id, task: 'label', labels: ['femur'], user: 'ana', reason: '' });
    catalog.setLabels({
      imageId: id,
      task: 'label',
      labels: ['head'],
      user: 'ana',
      reason: 'review of run 3',
    });
    catalog.bulkRelabel({
      datasetId: report.datasetId,
      task: 'label',
      imageIds: [id],
      to: ['femur'],
      user: 'ana',
      reason: '',
    });
    await expect(
      catalog.import(importOptions({ source: join(dir, 'missing.csv'), dataset: 'd' })),
    ).rejects.toBeTruthy();
    const lines = logger.recent(200).map((e) => e.message);
    const relabels = lines.filter((l) => l.includes('relabelled'));
    // The plain labeling keystroke is not logged; the reasoned relabel and the bulk one are.
    expect(relabels).toHaveLength(2);
    expect(relabels[0]).toMatch(new RegExp(`^image ${id} relabelled in task "label" \\(batch \\d+\\)$`));
    expect(relabels[1]).toMatch(/^1 image\(s\) of dataset \d+ relabelled in task "label"/);
    expect(lines.join('\n')).not.toContain('review of run 3');
    expect(lines.find((l) => / failed \(/.test(l))).toMatch(/^import into "d" failed \([A-Z_]+\)$/);
    catalog.close();
  });
});
