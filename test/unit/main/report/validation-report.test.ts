import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FORMULA_TRIGGERS } from '../../../../shared/csv/csv-writer';
import { RunSummary } from '../../../../shared/run/run-result';
import {
  renderValidationReportCsv,
  renderValidationReportHtml,
} from '../../../../main/report/validation-report';
import { misclassifiedFixture, runSummaryFixture } from '../../../support/run-summary-fixture';

describe('validation report', () => {
  const run = RunSummary.parse(runSummaryFixture());

  it('puts every method side by side with its test metrics, confusion matrix and the misclassified list', () => {
    const html = renderValidationReportHtml(run, misclassifiedFixture(), {
      generatedAt: '2026-11-28T12:00:00Z',
    });
    // Rows appear in the canonical method order, whatever order the run stored them in.
    const order = [
      'Stage 1: fine-tuned image model',
      'Proposed: stage-1 backbone + note + metadata',
      'Note only',
    ].map((l) => html.indexOf(l));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(html).toContain('<td>66.7 %</td>'); // stage 1 test accuracy 4/6
    expect(html).toContain('80.0 % ± 5.0 (3 seeds)'); // proposed over seeds
    expect(html).toContain('Test confusion matrix (n = 6)');
    expect(html).toContain('grouped by patient_id');
    expect(html).toContain('Misclassified test images (2)');
    expect(html).toMatch(/<tr><th>total<\/th><th>18<\/th><th>6<\/th><th>6<\/th><\/tr>/);
    expect(html).not.toContain('label change(s) were made after this run');
  });

  it('escapes names from the catalog and carries no scripts', () => {
    const html = renderValidationReportHtml(run, misclassifiedFixture(), { generatedAt: 'now' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('busi &lt;demo&gt;');
    expect(html).toContain("default-src 'none'");
  });

  it('warns when labels changed after the run', () => {
    expect(renderValidationReportHtml(run, [], { generatedAt: 'now', staleLabels: 4 })).toContain(
      '4 label change(s) were made after this run was trained (label version 120)',
    );
  });

  it('writes CSV with one row per method and split, and defuses spreadsheet formulas', () => {
    const csv = renderValidationReportCsv(run, misclassifiedFixture());
    const metrics = parse(csv.metrics, { columns: true }) as Record<string, string>[];
    expect(metrics).toHaveLength(6);
    expect(metrics.find((r) => r.method === 'proposed' && r.split === 'test')).toMatchObject({
      n: '6',
      accuracy: String(5 / 6),
    });
    expect(Object.keys(metrics[0]!)).toContain('f1_malignant');
    const miss = parse(csv.misclassified, { columns: true }) as Record<string, string>[];
    expect(miss[1]!.file).toBe(`'=HYPERLINK("x")`);
  });

  it('neutralises every formula trigger in file names and labels of the run report CSV', () => {
    const base = misclassifiedFixture()[0]!;
    const hostile = FORMULA_TRIGGERS.map((c, i) => ({
      ...base,
      imageId: 100 + i,
      file: `${c}cmd|' /C calc'!A0`,
      trueLabel: `${c}1+1`,
    }));
    const miss = parse(renderValidationReportCsv(run, hostile).misclassified, { columns: true }) as Record<
      string,
      string
    >[];
    expect(miss.map((r) => r.file)).toEqual(FORMULA_TRIGGERS.map((c) => `'${c}cmd|' /C calc'!A0`));
    expect(miss.map((r) => r.true)).toEqual(FORMULA_TRIGGERS.map((c) => `'${c}1+1`));
  });
});
