/**
 * The page of `bench/renderer-grid.ts`: the real catalog screen (grid, pager, filters, counts) over
 * a generated catalog of `window.__rows` images answered in memory, so the figures measure the
 * renderer alone. Bundled by the bench script with esbuild; never part of the app.
 */
import { createRoot } from 'react-dom/client';
import { buildApi } from '../shared/contract/build-api';
import type { CallChannel, ImageSummary, Result } from '../shared/contract/index';
import { ApiProvider } from '../renderer/api-context';
import { BrowseProvider } from '../renderer/catalog/browse-context';
import { CatalogScreen } from '../renderer/catalog/catalog-screen';
import { MediaProvider } from '../renderer/catalog/media-url';
import { WorkspaceProvider } from '../renderer/catalog/workspace';

declare global {
  interface Window {
    __rows: number;
    __bench: { start: number; firstPaint: number | null; queries: number };
    __scroll: (
      step: number,
      frames: number,
    ) => Promise<{ intervals: number[]; cells: number; longTasks: number }>;
    __jump: () => Promise<number>;
  }
}

/** Scrolls the grid by `step` px per frame for `frames` frames; resolves with the frame intervals (ms). */
window.__scroll = (step, frames) =>
  new Promise((resolve) => {
    const grid = document.querySelector<HTMLElement>('.vgrid')!;
    const intervals: number[] = [];
    let longTasks = 0;
    const po = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
    po.observe({ entryTypes: ['longtask'] });
    let last = performance.now();
    let n = 0;
    const tick = (now: number) => {
      intervals.push(now - last);
      last = now;
      grid.scrollTop += step;
      if (++n < frames) requestAnimationFrame(tick);
      else {
        po.disconnect();
        resolve({
          intervals: intervals.slice(1),
          cells: document.querySelectorAll('.vgrid-cell').length,
          longTasks,
        });
      }
    };
    requestAnimationFrame(tick);
  });

/** Jumps to the middle of the grid; resolves with the time until every visible tile shows its image. */
window.__jump = () =>
  new Promise((resolve) => {
    const grid = document.querySelector<HTMLElement>('.vgrid')!;
    const started = performance.now();
    grid.scrollTop = grid.scrollHeight / 2;
    const check = () => {
      const top = grid.getBoundingClientRect().top;
      const visible = [...document.querySelectorAll('.vgrid-cell')].filter((c) => {
        const r = c.getBoundingClientRect();
        return r.bottom > top && r.top < top + grid.clientHeight;
      });
      if (visible.length > 0 && visible.every((c) => c.querySelector('.thumb img')))
        resolve(performance.now() - started);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });

const ROWS = window.__rows;
const CLASSES = ['benign', 'malignant', 'normal'];
// A 4×4 grey PNG: every tile decodes a real image, as in the app.
const THUMB =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAAAAACMmsGiAAAAEklEQVR4nGNkYGD4z8DAwMDAAAAHDAECyzJ5AAAAAElFTkSuQmCC';

const row = (i: number): ImageSummary => ({
  id: i + 1,
  datasetId: 1,
  file: `scans/scan-${String(i + 1).padStart(6, '0')}.png`,
  format: 'png',
  sourceFormat: 'png',
  width: 256,
  height: 256,
  frame: 0,
  sha256: 'a'.repeat(64),
  labels: i % 4 === 3 ? [] : [CLASSES[i % 3]!],
  labelVersion: i % 4 === 3 ? 0 : 1,
  patient: `p${Math.floor(i / 3)}`,
  notePreview: null,
  part: null,
  importedAt: '2026-01-01T00:00:00.000Z',
});

const answer = (channel: CallChannel, input: Record<string, unknown>): Result<unknown> => {
  switch (channel) {
    case 'catalog:datasets':
      return { ok: true, value: [{ id: 1, name: 'generated', createdAt: '2026-01-01', images: ROWS }] };
    case 'catalog:tasks':
      return {
        ok: true,
        value: [
          {
            id: 1,
            datasetId: 1,
            name: 'label',
            kind: 'single',
            classes: CLASSES.map((name) => ({ name, parent: null, colour: null })),
          },
        ],
      };
    case 'catalog:stats':
      return {
        ok: true,
        value: [
          {
            id: 1,
            name: 'generated',
            images: ROWS,
            unlabeled: Math.floor(ROWS / 4),
            labels: CLASSES.map((label) => ({ label, count: Math.floor(ROWS / 4) })),
            splits: [],
          },
        ],
      };
    case 'catalog:splits':
      return { ok: true, value: [] };
    case 'catalog:images': {
      window.__bench.queries++;
      const offset = Number(input.offset ?? 0);
      const limit = Number(input.limit ?? 100);
      const items = [];
      for (let i = offset; i < Math.min(ROWS, offset + limit); i++) items.push(row(i));
      return { ok: true, value: { total: ROWS, offset, items } };
    }
    default:
      return { ok: false, error: { code: 'UNAVAILABLE', message: `${channel} not in the bench` } };
  }
};

const api = buildApi({
  // A macrotask per answer, like a message from the host.
  call: (channel, input) =>
    new Promise((resolve) =>
      setTimeout(() => resolve(answer(channel, (input ?? {}) as Record<string, unknown>)), 0),
    ),
  subscribe: () => () => {},
});

const observer = new MutationObserver(() => {
  if (window.__bench.firstPaint !== null || !document.querySelector('.thumb img')) return;
  window.__bench.firstPaint = -1;
  // Two frames after the first tile exists: it has been laid out and painted.
  requestAnimationFrame(() => requestAnimationFrame(() => (window.__bench.firstPaint = performance.now())));
});
observer.observe(document.body, { childList: true, subtree: true });

createRoot(document.getElementById('root')!).render(
  <ApiProvider value={api}>
    <MediaProvider value={() => THUMB}>
      <WorkspaceProvider initial={{ datasetId: 1, task: 'label', user: 'bench' }}>
        <BrowseProvider>
          <div className="app">
            <main className="content content-catalog" style={{ gridArea: 'content' }}>
              <CatalogScreen onOpen={() => {}} onImport={() => {}} />
            </main>
          </div>
        </BrowseProvider>
      </WorkspaceProvider>
    </MediaProvider>
  </ApiProvider>,
);
