import {
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import { createTestCore } from '../../../support/test-core';
import { importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

/** A data folder with two workspaces, `a` (open, with one image) and `b` (closed). */
const twoWorkspaces = async () => {
  const data = tempDir('sonofuse-backup-data-');
  const images = tempDir('sonofuse-backup-img-');
  writeFile(images, 'k/1.png', await makeImage(4, 4, 7));
  const b = createCatalogService({ dbPath: join(data, 'b', 'catalog.db'), workspaceRoots: [data] });
  await b.import(importOptions({ source: images, dataset: 'b', thumbnails: false }));
  b.close();
  const bBytes = readFileSync(join(data, 'b', 'catalog.db'));
  const a = createCatalogService({ dbPath: join(data, 'a', 'catalog.db'), workspaceRoots: [data] });
  await a.import(importOptions({ source: images, dataset: 'a', thumbnails: false }));
  return { data, a, bPath: join(data, 'b', 'catalog.db'), bBytes };
};

const countImages = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return (db.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('catalog:backup refuses to write onto a catalog', () => {
  it('refuses the live catalog and its -wal/-shm, by path and through a symlinked folder', async () => {
    const { data, a } = await twoWorkspaces();
    const live = join(data, 'a', 'catalog.db');
    for (const target of [live, `${live}-wal`, `${live}-shm`, join(data, 'a', '.', 'catalog.db')]) {
      await expect(a.backup(target)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('the catalog being backed up'),
      });
    }
    const elsewhere = tempDir('sonofuse-backup-link-');
    symlinkSync(join(data, 'a'), join(elsewhere, 'ws'));
    await expect(a.backup(join(elsewhere, 'ws', 'catalog.db'))).rejects.toMatchObject({ code: 'CONFLICT' });
    a.close();
    expect(countImages(live)).toBe(1);
  });

  it("refuses another workspace's catalog by path, symbolic link and hard link, leaving it byte for byte", async () => {
    const { a, bPath, bBytes } = await twoWorkspaces();
    const elsewhere = tempDir('sonofuse-backup-link-');
    symlinkSync(bPath, join(elsewhere, 'soft.db'));
    linkSync(bPath, join(elsewhere, 'hard.db'));
    for (const target of [bPath, `${bPath}-wal`, join(elsewhere, 'soft.db'), join(elsewhere, 'hard.db')]) {
      await expect(a.backup(target)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('workspace "b"'),
      });
    }
    a.close();
    expect(readFileSync(bPath).equals(bBytes)).toBe(true);
  });

  it('finds the workspaces beside a catalog.db without being told (the data folder layout)', async () => {
    const { data, a } = await twoWorkspaces();
    a.close();
    const defaults = createCatalogService({ dbPath: join(data, 'a', 'catalog.db') });
    await expect(defaults.backup(join(data, 'b', 'catalog.db'))).rejects.toMatchObject({ code: 'CONFLICT' });
    defaults.close();
  });

  it('answers a typed CONFLICT over the contract, not a thrown error', async () => {
    const core = createTestCore();
    const ctx = { transport: 'test' as const, peer: 't' };
    const info = (await core.dispatcher.dispatch('app:info', {}, ctx)) as { value: { catalogPath: string } };
    const answer = await core.dispatcher.dispatch('catalog:backup', { path: info.value.catalogPath }, ctx);
    expect(answer).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('writes an ordinary backup 0600, atomically over an older backup, with no temporary file left', async () => {
    const { a } = await twoWorkspaces();
    const out = tempDir('sonofuse-backup-out-');
    mkdirSync(join(out, 'x'));
    writeFileSync(join(out, 'old.db'), 'an older backup');
    const result = await a.backup(join(out, 'old.db'));
    expect(result.bytes).toBe(statSync(join(out, 'old.db')).size);
    expect(statSync(join(out, 'old.db')).mode & 0o777).toBe(0o600);
    expect(readdirSync(out).sort()).toEqual(['old.db', 'x']);
    expect(countImages(join(out, 'old.db'))).toBe(1);
    await expect(a.backup(join(out, 'x'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(a.backup(join(out, 'missing', 'b.db'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    a.close();
  });
});
