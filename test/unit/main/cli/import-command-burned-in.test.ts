import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { parseMask } from '../../../../main/cli/commands/import-command';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import { captureIo } from '../../../support/capture-io';
import { tempDir, writeFile } from '../catalog/support/catalog-fixtures';
import { writeDicom } from '../catalog/support/dicom-writer';

describe('sonofuse import: burned-in annotation and patient ids', () => {
  it('parses --mask x,y,w,h and refuses anything else', () => {
    expect(parseMask('0, 0,640,48')).toEqual({ x: 0, y: 0, w: 640, h: 48 });
    for (const bad of ['0,0,640', '0,0,0,10', '-1,0,5,5', '1,2,3,4,5', 'a,b,c,d'])
      expect(() => parseMask(bad)).toThrow('--mask takes x,y,w,h');
  });

  it('warns about burned-in images, and --mask stores the rectangle and masks before storing', async () => {
    const root = tempDir('sonofuse-cli-burned-');
    writeFile(
      root,
      'us.dcm',
      writeDicom({ rows: 6, cols: 8, pixels: Buffer.alloc(48, 200), burnedIn: 'YES' }),
    );
    const db = join(tempDir(), 'cli.db');
    const warned = captureIo();
    expect(await runCli(['import', root, '--db', db, '--dataset', 'w'], warned)).toBe(0);
    expect(warned.stdout).toContain(
      'Warning: 1 image(s) declare burned-in annotation (names, ids or dates may be in the pixels); 0 masked. ' +
        'Re-import with --burned-in mask-band (and --mask x,y,w,h) or skip.',
    );
    const masked = captureIo();
    const args = ['import', root, '--db', db, '--dataset', 'm', '--mask', '0,0,8,2', '--json'];
    expect(await runCli(args, masked)).toBe(0);
    expect(JSON.parse(masked.stdout[0]!)).toMatchObject({ imported: 1, burnedIn: { images: 1, masked: 1 } });
    const catalog = createCatalogService({ dbPath: db });
    const stats = catalog.stats(undefined, 'label');
    expect(stats.map((s) => [s.name, s.burnedIn, s.burnedInMask])).toEqual([
      ['w', { images: 1, masked: 0 }, null],
      ['m', { images: 1, masked: 1 }, { x: 0, y: 0, w: 8, h: 2 }],
    ]);
    const idIn = (datasetId: number): number =>
      catalog.images({ datasetId, task: 'label', sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 1 })
        .items[0]!.id;
    const pixels = await sharp(catalog.filePath(idIn(2)))
      .extractChannel(0)
      .raw()
      .toBuffer();
    expect([...pixels.subarray(0, 16)].every((v) => v === 0)).toBe(true);
    expect([...pixels.subarray(16)].every((v) => v === 200)).toBe(true);
    // The same file, unmasked in "w": neither its stored copy nor its thumbnail is shared with "m".
    const unmasked = await sharp(catalog.filePath(idIn(1)))
      .extractChannel(0)
      .raw()
      .toBuffer();
    expect(unmasked[0]).toBe(200);
    const topLeft = async (id: number): Promise<number> =>
      (
        await sharp(await catalog.thumbnailPath(id))
          .extractChannel(0)
          .raw()
          .toBuffer()
      )[0]!;
    expect(await topLeft(idIn(2))).toBeLessThan(40);
    expect(await topLeft(idIn(1))).toBeGreaterThan(160);
    catalog.close();
    const text = captureIo();
    expect(await runCli(['catalog', 'stats', '--db', db], text)).toBe(0);
    expect(text.stdout).toContain('  burned-in annotation: 1 images (1 masked)');
    const bad = captureIo();
    await expect(runCli(['import', root, '--db', db, '--burned-in', 'blur'], bad)).resolves.not.toBe(0);
  });
});
