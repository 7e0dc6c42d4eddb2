import { describe, expect, it } from 'vitest';
import { RunConfig } from '../../../../shared/run/run-config';
import {
  fieldLabel,
  fieldOfFlag,
  parseFieldText,
  runConfigDefaults,
  runConfigFields,
  setField,
} from '../../../../shared/run/run-config-fields';

/** A value of the field's kind that differs from the default, as a flag would give it. */
const sample: Record<string, string> = {
  imageSize: '192',
  batchSize: '8',
  seed: '5',
  seeds: '2',
  methods: 'linear_probe,stage1_image',
  'stage1.epochs': '3',
  'stage1.optimizer': 'sgd',
  'stage1.lr': '0.001',
  'stage2.head': 'mlp',
  'stage2.epochs': '4',
  'stage2.lr': '0.01',
  'heads.epochs': '9',
  'heads.lr': '0.05',
  'augmentation.preset': 'none',
  'encoders.text.kind': 'none',
  'encoders.image.path': '/models/tiny',
  'encoders.metadataFields': 'age, depth',
  'evaluation.views': '2',
};

const at = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe('the RunConfig field table (CLI flags, form labels, defaults)', () => {
  it('has one flag and one label per field', () => {
    expect(new Set(runConfigFields.map((f) => f.flag)).size).toBe(runConfigFields.length);
    expect(new Set(runConfigFields.map((f) => f.label)).size).toBe(runConfigFields.length);
    expect(Object.keys(sample).sort()).toEqual(runConfigFields.map((f) => f.path).sort());
  });

  it('every field, parsed from its flag text and set on its path, is what RunConfig stores there', () => {
    for (const field of runConfigFields) {
      const parsed = parseFieldText(field, sample[field.path]!);
      expect(parsed.ok, field.flag).toBe(true);
      if (!parsed.ok) continue;
      const input: Record<string, unknown> = { dataset: 'd' };
      setField(input, field.path, parsed.value);
      const config = RunConfig.parse(input);
      expect(at(config, field.path), field.path).toEqual(parsed.value);
      expect(at(config, field.path)).not.toEqual(at(runConfigDefaults, field.path));
    }
  });

  it('refuses flag text of the wrong kind with the flag in the message, and names fields by label', () => {
    expect(parseFieldText(fieldOfFlag('epochs1')!, '2.5')).toEqual({
      ok: false,
      message: '--epochs1 takes a whole number, got "2.5"',
    });
    expect(parseFieldText(fieldOfFlag('optimizer')!, 'rmsprop')).toMatchObject({ ok: false });
    expect(parseFieldText(fieldOfFlag('methods')!, 'linear_probe,magic')).toMatchObject({
      ok: false,
      message: expect.stringContaining('magic'),
    });
    expect(fieldLabel('stage1.lr')).toBe('Stage 1 learning rate');
    expect(runConfigDefaults.stage1.epochs).toBe(20);
  });
});
