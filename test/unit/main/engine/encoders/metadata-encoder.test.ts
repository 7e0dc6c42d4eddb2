import { describe, expect, it } from 'vitest';
import {
  createMetadataEncoder,
  metadataEncoderFromState,
} from '../../../../../main/engine/encoders/metadata-encoder';

const spec = {
  columns: [
    { name: 'ga_weeks', kind: 'number' as const },
    { name: 'probe', kind: 'category' as const },
  ],
};

// Training split: ga_weeks 20, 22, 24 and one missing → mean 22, population std sqrt(8/3) = 1.632993.
// probe values seen: convex, linear (sorted in code-unit order), and one missing.
const training = [
  { ga_weeks: 20, probe: 'linear' },
  { ga_weeks: '22', probe: 'convex' },
  { ga_weeks: 24, probe: ' convex ' },
  { ga_weeks: null, probe: '' },
];

describe('metadata encoder', () => {
  const enc = createMetadataEncoder(spec).fit(training);

  it('has a deterministic column order: value columns, unknown, missing, per spec column', () => {
    expect(enc.columnNames).toEqual([
      'ga_weeks',
      'ga_weeks:missing',
      'probe=convex',
      'probe=linear',
      'probe:unknown',
      'probe:missing',
    ]);
    expect(enc.width).toBe(6);
  });

  it('encodes rows with training statistics only', () => {
    const std = Math.sqrt(8 / 3);
    const rows = [
      { ga_weeks: 25, probe: 'linear' }, // (25 - 22) / 1.632993 = 1.837117
      { ga_weeks: undefined, probe: 'phased' }, // missing number, category unseen in training
      { ga_weeks: 'n/a', probe: null }, // unparseable number counts as missing; missing category
    ];
    const out = Array.from(enc.transform(rows));
    const expected = [
      [3 / std, 0, 0, 1, 0, 0],
      [0, 1, 0, 0, 1, 0],
      [0, 1, 0, 0, 0, 1],
    ].flat();
    expect(out.length).toBe(expected.length);
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(out[0]).toBeCloseTo(1.837117, 5);
  });

  it('standardises the training rows to mean 0 and variance 1', () => {
    const out = enc.transform(training.slice(0, 3));
    const z = [out[0], out[6], out[12]];
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 6);
    expect(z.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 5);
  });

  it('round-trips through JSON and encodes identically afterwards', () => {
    const restored = metadataEncoderFromState(JSON.parse(JSON.stringify(enc.toJSON())));
    const rows = [{ ga_weeks: 21.5, probe: 'convex' }, {}];
    expect(Array.from(restored.transform(rows))).toEqual(Array.from(enc.transform(rows)));
    expect(restored.columnNames).toEqual(enc.columnNames);
    expect(enc.toJSON().trainingRows).toBe(4);
  });

  it('keeps std 1 for a constant column and rejects bad specs and states', () => {
    const constant = createMetadataEncoder({ columns: [{ name: 'x', kind: 'number' }] }).fit([
      { x: 5 },
      { x: 5 },
    ]);
    expect(Array.from(constant.transform([{ x: 7 }]))).toEqual([2, 0]);
    expect(() =>
      createMetadataEncoder({
        columns: [
          { name: 'x', kind: 'number' },
          { name: 'x', kind: 'category' },
        ],
      }),
    ).toThrow(/unique/);
    expect(() => metadataEncoderFromState({ version: 2, columns: [] })).toThrow(
      /invalid metadata encoder state/,
    );
  });

  it('reads own values only: columns named constructor or toString are missing where a row lacks them', () => {
    const encoder = createMetadataEncoder({
      columns: [
        { name: 'constructor', kind: 'category' },
        { name: 'toString', kind: 'number' },
      ],
    }).fit([{ constructor: 'a', toString: 2 }, { toString: 4 }, {}]);
    // Categories seen in training: only "a" (not Object's constructor function); toString mean 3, std 1.
    expect(encoder.columnNames).toEqual([
      'constructor=a',
      'constructor:unknown',
      'constructor:missing',
      'toString',
      'toString:missing',
    ]);
    expect([...encoder.transform([{}, { constructor: 'a', toString: 4 }])]).toEqual([
      0, 0, 1, 0, 1, 1, 0, 0, 1, 0,
    ]);
  });
});
