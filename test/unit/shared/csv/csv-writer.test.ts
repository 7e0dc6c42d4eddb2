import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, FORMULA_TRIGGERS, rowsToCsv, toCsv } from '../../../../shared/csv/csv-writer';
import { importReportCsv } from '../../../../shared/csv/import-report-csv';

describe('csv-writer', () => {
  it.each(FORMULA_TRIGGERS.map((c) => [c]))(
    'neutralises a cell starting with %j: quote prefix, quoted',
    (c) => {
      const payload = `${c}cmd|' /C calc'!A0`;
      const cell = csvCell(payload);
      expect(cell.startsWith(`"'${c}`)).toBe(true);
      // Read back by a CSV parser, the value is the text behind one leading quote: nothing is lost.
      expect(parse(`${cell}\n`, { relax_column_count: true })[0][0]).toBe(`'${payload}`);
    },
  );

  it('neutralises formulas hidden behind a minus and digits, keeps plain numbers', () => {
    expect(csvCell('-2+3+cmd|x')).toBe(`"'-2+3+cmd|x"`);
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('-3')).toBe('-3');
    expect(csvCell('+0.25e-3')).toBe('+0.25e-3');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('quotes per RFC 4180 and leaves empty values empty', () => {
    expect(csvRow(['a,b', 'say "hi"', 'two\nlines', ' pad', null, undefined, 7])).toBe(
      '"a,b","say ""hi""","two\nlines"," pad",,,7',
    );
  });

  it('picks cells by header from records and maps, own properties only', () => {
    const fromMap = new Map<string, unknown>([
      ['__proto__', '=x'],
      ['constructor', 'c'],
    ]);
    expect(toCsv(['constructor', '__proto__', 'toString'], [fromMap, { constructor: 'k' }])).toBe(
      `constructor,__proto__,toString\nc,"'=x",\nk,,\n`,
    );
    expect(rowsToCsv([])).toBe('');
  });

  it('writes an import report with notices, errors and duplicates, neutralised', () => {
    const { csv, rows } = importReportCsv({
      jobId: 'j',
      importId: 1,
      dataset: 'd',
      datasetId: 1,
      source: '/m.csv',
      status: 'done',
      total: 2,
      imported: 0,
      skipped: 0,
      duplicates: [{ file: '+dup.png', duplicateOf: 'a.png', sameLabel: true }],
      errors: [{ file: '@bad.png', line: 3, code: 'corrupt', reason: 'x' }],
      labels: {},
      seconds: 0,
      notices: ['files outside'],
    });
    expect(rows).toBe(3);
    expect(csv).toBe(
      'kind,file,line,code,reason\n' +
        'notice,,,notice,files outside\n' +
        `error,"'@bad.png",3,corrupt,x\n` +
        `duplicate,"'+dup.png",,duplicate,same content as a.png\n`,
    );
  });
});
