import { migration0001 } from './0001-images';
import { migration0002 } from './0002-labels';
import { migration0003 } from './0003-splits-runs';
import { migration0004 } from './0004-note-search';
import { migration0005 } from './0005-run-results';
import { migration0006 } from './0006-query-indexes';
import { migration0007 } from './0007-flags-colours';
import { migration0008 } from './0008-dataset-augmentations';
import { migration0009 } from './0009-burned-in';
import { migration0010 } from './0010-run-snapshots';
import { migration0011 } from './0011-dataset-lifecycle';
import { migration0012 } from './0012-history-suggestions';
import { migration0013 } from './0013-label-versions-jobs';
import { migration0014 } from './0014-raters';
import { migration0015 } from './0015-pg-sort-indexes';
import { migration0016 } from './0016-pg-reviewer-guard';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** Every migration, in order. Append only. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
];
