import type { Migration } from './migration';

/**
 * Burned-in annotation per image and a masking rectangle per dataset.
 *
 * `images.burned_in`: 0 = the file does not declare burned-in text, 1 = it does (BurnedInAnnotation
 * YES) and the pixels were stored as they are (warned), 2 = it does and the text band was blacked
 * out before the image was stored. `datasets.burned_in_mask` holds the user-drawn rectangle
 * (`{"x","y","w","h"}` in pixels, JSON) that masking uses instead of the detected band.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'burned-in',
  up(db) {
    db.exec(`
      ALTER TABLE images ADD COLUMN burned_in INTEGER NOT NULL DEFAULT 0 CHECK (burned_in IN (0, 1, 2));
      ALTER TABLE datasets ADD COLUMN burned_in_mask TEXT
        CHECK (burned_in_mask IS NULL OR json_valid(burned_in_mask));
      CREATE INDEX images_burned_in ON images (dataset_id, burned_in) WHERE burned_in > 0;
    `);
  },
  postgres: `
      ALTER TABLE images ADD COLUMN burned_in INTEGER NOT NULL DEFAULT 0 CHECK (burned_in IN (0, 1, 2));
      ALTER TABLE datasets ADD COLUMN burned_in_mask TEXT;
      CREATE INDEX images_burned_in ON images (dataset_id, burned_in) WHERE burned_in > 0;
  `,
};
