/**
 * Renderer benchmark: the real catalog screen over 100,000 generated rows in Debian Chromium.
 * Prints time to first grid paint, frame times while scrolling (steady and fling), the time until
 * the viewport is filled after a jump to the middle, and how many cells the DOM holds.
 *   npx tsx bench/renderer-grid.ts [--rows 100000] [--json]
 * Figures depend on the machine and its load; this script never fails on a time.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, json: { type: 'boolean', default: false } },
});
const rows = Number(values.rows);
const chromiumPath = process.env.SONOFUSE_CHROMIUM ?? '/usr/bin/chromium';

const bundle = await build({
  entryPoints: ['bench/renderer-grid-page.tsx'],
  bundle: true,
  write: false,
  format: 'esm',
  jsx: 'automatic',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
const css = readFileSync('renderer/styles/app.css', 'utf8');
const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head>
<body><div id="root"></div><script>window.__rows=${rows};window.__bench={start:performance.now(),firstPaint:null,queries:0};</script>
<script type="module">${bundle.outputFiles[0]!.text.replace(/<\/script/g, '<\\/script')}</script></body></html>`;

// A page needs a real origin for localStorage: serve it from loopback.
const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(html);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-timer-throttling'],
});
const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
page.on('console', (m) => {
  if (m.type() === 'error') console.error(`page console: ${m.text()}`);
});
await page.goto(pageUrl, { waitUntil: 'load' });
await page.waitForFunction('(window.__bench.firstPaint ?? -1) > 0', undefined, { timeout: 30_000 });
const firstPaint = (await page.evaluate('window.__bench.firstPaint - window.__bench.start')) as number;

// In-page measurement lives in the page bundle (window.__scroll, window.__jump).
type ScrollRun = { intervals: number[]; cells: number; longTasks: number };
const scroll = (step: number, frames: number) =>
  page.evaluate(`window.__scroll(${step}, ${frames})`) as Promise<ScrollRun>;

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return {
    frames: s.length,
    medianMs: +q(0.5).toFixed(1),
    p95Ms: +q(0.95).toFixed(1),
    maxMs: +s[s.length - 1]!.toFixed(1),
    over20Ms: s.filter((x) => x > 20).length,
  };
};

const idle = await scroll(0, 120);
const steady = await scroll(60, 240);
const fling = await scroll(1200, 120);
const jump = (await page.evaluate('window.__jump()')) as number;
const queries = (await page.evaluate('window.__bench.queries')) as number;
await browser.close();
server.close();

const result = {
  rows,
  firstGridPaintMs: +firstPaint.toFixed(0),
  idleBaseline: { ...stats(idle.intervals), longTasks: idle.longTasks, cellsInDom: idle.cells },
  steadyScroll60pxPerFrame: {
    ...stats(steady.intervals),
    longTasks: steady.longTasks,
    cellsInDom: steady.cells,
  },
  flingScroll1200pxPerFrame: {
    ...stats(fling.intervals),
    longTasks: fling.longTasks,
    cellsInDom: fling.cells,
  },
  jumpToMiddleFilledMs: +jump.toFixed(0),
  pageQueries: queries,
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(
    `renderer grid benchmark: ${rows.toLocaleString('en')} generated rows, 1440×900, headless Chromium`,
  );
  console.log(`  time to first grid paint (tiles with data): ${result.firstGridPaintMs} ms`);
  for (const [name, r] of [
    ['idle frames, no scrolling (baseline of this browser/machine)', result.idleBaseline],
    ['steady scroll (60 px/frame)', result.steadyScroll60pxPerFrame],
    ['fling scroll (1200 px/frame)', result.flingScroll1200pxPerFrame],
  ] as const)
    console.log(
      `  ${name}: ${r.frames} frames, median ${r.medianMs} ms, p95 ${r.p95Ms} ms, max ${r.maxMs} ms, >20 ms: ${r.over20Ms}, long tasks ${r.longTasks}, cells in DOM ${r.cellsInDom}`,
    );
  console.log(`  jump to the middle → viewport filled: ${result.jumpToMiddleFilledMs} ms`);
  console.log(`  catalog:images page queries: ${result.pageQueries}`);
}
