/**
 * DICOM input limits, each case in a fresh child process so its peak RSS is its own: the issue's
 * 656-byte frame bomb imported through the catalog service, a deflate bomb (300 MB of zeros, ~300 kB
 * on disk), a 65535×65535 header over 16 bytes, and a legitimate cine (`--frames` frames of
 * 640×480, default 200) imported whole. Prints per case: outcome, wall time, process maxRSS.
 * Run: `npx tsx bench/dicom-limits.ts [--frames N] [--json]`. Prints figures; never fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportOptions } from '../shared/contract/catalog';
import { createCatalogService } from '../main/catalog/catalog-service';
import { writeDicom } from '../test/unit/main/catalog/support/dicom-writer';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const frames = Number(arg('--frames') ?? 200);
const CASES = ['frame-bomb', 'deflate-bomb', 'huge-header', 'cine'] as const;
type Case = (typeof CASES)[number];

const fileFor = (which: Case): Buffer => {
  switch (which) {
    case 'frame-bomb':
      return writeDicom({
        rows: 10,
        cols: 10,
        numberOfFrames: '999999999',
        pixels: Buffer.alloc(100, 7),
        patientId: 'MRN000123',
      });
    case 'deflate-bomb':
      return writeDicom({
        rows: 1,
        cols: 1,
        numberOfFrames: '1',
        pixels: Buffer.alloc(300 * 1024 ** 2),
        deflate: true,
      });
    case 'huge-header':
      return writeDicom({ rows: 65535, cols: 65535, pixels: Buffer.alloc(16) });
    case 'cine': {
      const size = 640 * 480;
      const pixels = Buffer.alloc(size * frames);
      for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + Math.floor(i / size) * 13) & 0xff;
      return writeDicom({ rows: 480, cols: 640, frames, pixels });
    }
  }
};

/** One case, in this process: import the file into a fresh catalog and print one JSON line. */
const runCase = async (which: Case, file: string): Promise<void> => {
  const work = mkdtempSync(join(tmpdir(), 'sonofuse-bench-dicom-'));
  try {
    const catalog = createCatalogService({ dbPath: join(work, 'db', 'catalog.db') });
    const started = performance.now();
    const report = await catalog.import(
      ImportOptions.parse({ source: file, dataset: which, thumbnails: false }),
    );
    const ms = performance.now() - started;
    catalog.close();
    const outcome = report.errors[0]
      ? `${report.errors[0].code}: ${report.errors[0].reason}`
      : `imported ${report.imported}`;
    const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(JSON.stringify({ case: which, outcome, ms: Math.round(ms), maxRssMiB }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

const self = (...extra: string[]): string =>
  execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, ...extra], { encoding: 'utf8' });

const which = arg('--case') as Case | undefined;
const make = arg('--make');
if (make) {
  // Files are made in their own process: Linux keeps a parent's peak RSS across fork + exec.
  for (const c of CASES) writeFileSync(join(make, `${c}.dcm`), fileFor(c));
} else if (which) {
  await runCase(which, arg('--file')!);
} else {
  const files = mkdtempSync(join(tmpdir(), 'sonofuse-bench-dicom-files-'));
  self('--make', files, '--frames', String(frames));
  const rows = CASES.map((c) => {
    const file = join(files, `${c}.dcm`);
    const row = JSON.parse(self('--case', c, '--file', file).trim().split('\n').at(-1)!) as {
      case: Case;
      outcome: string;
      ms: number;
      maxRssMiB: number;
    };
    return { ...row, fileBytes: statSync(file).size };
  });
  rmSync(files, { recursive: true, force: true });
  if (args.includes('--json')) console.log(JSON.stringify(rows));
  else
    for (const r of rows)
      console.log(
        `${String(r.case).padEnd(13)} ${String(r.fileBytes).padStart(10)} B  ${String(r.ms).padStart(6)} ms  maxRSS ${String(r.maxRssMiB).padStart(5)} MiB  ${r.outcome}`,
      );
}
