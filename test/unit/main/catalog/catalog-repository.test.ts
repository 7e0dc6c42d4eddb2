import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_METADATA_KEY_CHARS,
  MAX_METADATA_VALUE_CHARS,
  MAX_NOTE_CHARS,
} from '../../../../shared/contract/catalog';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { createRepository } from '../../../../main/catalog/catalog-repository';
import { seedSyntheticCatalog } from '../../../../main/catalog/synthetic-catalog';
import { tempDir } from './support/catalog-fixtures';

describe('catalog repository limits', () => {
  it('refuses a note, metadata key or value over catalog-limits on every write, keeps what was there', () => {
    const cdb = openCatalogDb({ path: join(tempDir(), 'limits.db') });
    seedSyntheticCatalog(cdb, { count: 1, seed: 1, dataset: 'd' });
    const { id } = cdb.get<{ id: number }>('t', 'SELECT id FROM images LIMIT 1')!;
    const repo = createRepository(cdb);
    repo.writeNote(id, 'n'.repeat(MAX_NOTE_CHARS), 'u');
    repo.setMetadata(id, 'k'.repeat(MAX_METADATA_KEY_CHARS), 'v'.repeat(MAX_METADATA_VALUE_CHARS));
    expect(() => repo.writeNote(id, 'x'.repeat(MAX_NOTE_CHARS + 1), 'u')).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: 'a note of 100,001 characters is over the limit of 100,000',
      }),
    );
    expect(() => repo.setMetadata(id, 'site', 'v'.repeat(MAX_METADATA_VALUE_CHARS + 1))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => repo.setMetadata(id, 'k'.repeat(MAX_METADATA_KEY_CHARS + 1), 'v')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(repo.note(id)).toHaveLength(MAX_NOTE_CHARS);
    expect(
      cdb.get<{ n: number }>('t', "SELECT count(*) AS n FROM image_metadata WHERE key = 'site'"),
    ).toEqual({ n: 0 });
    cdb.close();
  });
});
