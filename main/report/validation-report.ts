import { methodLabels, runMethods } from '../../shared/run/run-config';
import type { Misclassified, MethodResult, RunSummary, SplitMetrics } from '../../shared/run/run-result';
import { csvRow } from '../../shared/csv/csv-writer';
import { escapeHtml as e, pct } from './html';

const metricCell = (m: SplitMetrics | undefined, key: 'accuracy' | 'balancedAccuracy' | 'macroF1'): string =>
  m ? pct(m[key]) : '—';

const spreadCell = (r: MethodResult, key: 'accuracy' | 'macroF1' | 'balancedAccuracy'): string =>
  r.seedSpread
    ? `${pct(r.seedSpread[key].mean)} ± ${(r.seedSpread[key].sd * 100).toFixed(1)} (${r.seedSpread[key].n} seeds)`
    : pct(r.test[key]);

const confusionTable = (classes: string[], m: SplitMetrics, caption: string): string => `
<table class="confusion"><caption>${e(caption)}</caption>
<thead><tr><th>true \\ predicted</th>${classes.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead>
<tbody>${m.confusion.map((row, t) => `<tr><th>${e(classes[t])}</th>${row.map((n, p) => `<td class="${t === p ? 'diag' : n > 0 ? 'err' : ''}">${n}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

const perClassTable = (classes: string[], m: SplitMetrics): string => `
<table><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead>
<tbody>${m.perClass.map((p, c) => `<tr><td>${e(classes[c])}</td><td>${pct(p.precision)}</td><td>${pct(p.recall)}</td><td>${pct(p.f1)}</td><td>${p.support}</td></tr>`).join('')}</tbody></table>`;

const STYLE = `
body{font:13px/1.45 'DejaVu Sans',system-ui,sans-serif;color:#111;margin:24px;max-width:1000px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:24px 0 8px;border-bottom:1px solid #ccc;padding-bottom:2px}
h3{font-size:13px;margin:16px 0 6px}table{border-collapse:collapse;margin:6px 0 12px}
th,td{border:1px solid #bbb;padding:3px 8px;text-align:left;font-variant-numeric:tabular-nums}
thead th{background:#eee}.confusion td{text-align:right;min-width:36px}.confusion td.diag{background:#d9eef0}
.confusion td.err{background:#f6dada}.muted{color:#555}pre{background:#f4f4f4;padding:8px;font-size:11px;white-space:pre-wrap}
.warn{border:1px solid #c90;background:#fff6e0;padding:6px 10px}.pair{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap}
@media print{body{margin:0}h2{break-after:avoid}table,section.method{break-inside:avoid}}
@page{margin:16mm}`;

/**
 * The exportable validation report: one self-contained HTML page (no scripts, no external
 * resources; prints well to PDF) with the dataset and split summary, label version, config,
 * per-method metrics side by side (image-only, note-only and fused together), confusion matrices
 * and the list of misclassified images.
 */
export const renderValidationReportHtml = (
  run: RunSummary,
  misclassified: Misclassified[],
  options: { generatedAt: string; staleLabels?: number },
): string => {
  const methods = runMethods.filter((m) => run.methods[m]);
  const parts = ['train', 'validation', 'test'] as const;
  const splitRows = run.classes
    .map(
      (c) =>
        `<tr><td>${e(c)}</td>${parts.map((p) => `<td>${run.split.counts[p][c] ?? 0}</td>`).join('')}</tr>`,
    )
    .join('');
  const totals = parts.map((p) => Object.values(run.split.counts[p]).reduce((a, b) => a + b, 0));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>SonoFuse validation report — run ${run.runId}</title><style>${STYLE}</style></head><body>
<h1>Validation report — run ${run.runId}</h1>
<p class="muted">Dataset <b>${e(run.dataset)}</b>, task <b>${e(run.task)}</b>; run created ${e(run.createdAt)}, status ${e(run.status)}, backend ${e(run.backend)}; report generated ${e(options.generatedAt)} by SonoFuse.</p>
${options.staleLabels ? `<p class="warn">${options.staleLabels} label change(s) were made after this run was trained (label version ${run.labelVersion}); its results describe the earlier labels.</p>` : ''}
<h2>Dataset and split</h2>
<p>Split “${e(run.split.name)}” (id ${run.split.id}), grouped by ${e(run.split.groupedBy)}: no group appears in two parts. Checkpoints were chosen on validation only; test was evaluated once.</p>
<table><thead><tr><th>class</th><th>train</th><th>validation</th><th>test</th></tr></thead><tbody>${splitRows}
<tr><th>total</th>${totals.map((t) => `<th>${t}</th>`).join('')}</tr></tbody></table>
<h2>Methods side by side</h2>
<table><thead><tr><th>method</th><th>val. accuracy</th><th>test accuracy</th><th>test balanced acc.</th><th>test macro-F1</th><th>test ECE</th><th>best epoch</th></tr></thead><tbody>
${methods
  .map((m) => {
    const r = run.methods[m]!;
    return `<tr><td>${e(methodLabels[m])}</td><td>${metricCell(r.validation, 'accuracy')}</td><td>${spreadCell(r, 'accuracy')}</td><td>${spreadCell(r, 'balancedAccuracy')}</td><td>${spreadCell(r, 'macroF1')}</td><td>${r.test.ece.toFixed(3)}</td><td>${r.bestEpoch ?? '—'}</td></tr>`;
  })
  .join('')}</tbody></table>
${methods
  .map((m) => {
    const r = run.methods[m]!;
    return `<section class="method"><h3>${e(methodLabels[m])}</h3><div class="pair">${confusionTable(run.classes, r.test, `Test confusion matrix (n = ${r.test.n})`)}${perClassTable(run.classes, r.test)}</div></section>`;
  })
  .join('')}
<h2>Misclassified test images (${misclassified.length})</h2>
<table><thead><tr><th>image</th><th>file</th><th>method</th><th>true</th><th>predicted</th><th>confidence</th></tr></thead><tbody>
${misclassified.map((x) => `<tr><td>${x.imageId}</td><td>${e(x.file)}</td><td>${e(x.method)}</td><td>${e(x.trueLabel)}</td><td>${e(x.predicted)}</td><td>${pct(x.confidence)}</td></tr>`).join('')}
</tbody></table>
<h2>Configuration</h2><pre>${e(JSON.stringify(run.config, null, 2))}</pre>
<h2>Timing</h2><table><tbody>${Object.entries(run.timing)
    .map(([k, v]) => `<tr><td>${e(k)}</td><td>${v.toFixed(1)} s</td></tr>`)
    .join('')}</tbody></table>
</body></html>`;
};

/** The same results as CSV: one row per method × split part, then the misclassified images. */
export const renderValidationReportCsv = (
  run: RunSummary,
  misclassified: Misclassified[],
): { metrics: string; misclassified: string } => {
  const metricRows = [
    csvRow([
      'run_id',
      'method',
      'split',
      'n',
      'accuracy',
      'balanced_accuracy',
      'macro_f1',
      'ece',
      ...run.classes.map((c) => `f1_${c}`),
    ]),
  ];
  for (const m of runMethods) {
    const r = run.methods[m];
    if (!r) continue;
    for (const part of ['validation', 'test'] as const) {
      const s = r[part];
      metricRows.push(
        csvRow([
          run.runId,
          m,
          part,
          s.n,
          s.accuracy,
          s.balancedAccuracy,
          s.macroF1,
          s.ece,
          ...s.perClass.map((p) => p.f1),
        ]),
      );
    }
  }
  const miss = [csvRow(['run_id', 'image_id', 'file', 'method', 'split', 'true', 'predicted', 'confidence'])];
  for (const x of misclassified)
    miss.push(
      csvRow([run.runId, x.imageId, x.file, x.method, x.split, x.trueLabel, x.predicted, x.confidence]),
    );
  return { metrics: `${metricRows.join('\n')}\n`, misclassified: `${miss.join('\n')}\n` };
};
