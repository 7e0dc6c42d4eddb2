import type { Migration } from './migration';

/**
 * PostgreSQL: byte-order ("C") indexes for the text sorts of the image grid (file name, import
 * time), so a page sorted by them walks an index instead of sorting every image: the pg store sorts
 * text COLLATE "C" to match SQLite's BINARY order whatever the database's collation. SQLite's
 * indexes already sort in byte order: nothing to do there.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'pg-sort-indexes',
  up() {
    // SQLite: images_file (0001) already orders by BINARY.
  },
  postgres: `
    CREATE INDEX images_file_c ON images (dataset_id, (file COLLATE "C"), id);
    CREATE INDEX images_imported_c ON images (dataset_id, (imported_at COLLATE "C"), id);
  `,
};
