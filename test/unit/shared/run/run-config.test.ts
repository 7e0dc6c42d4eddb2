import { describe, expect, it } from 'vitest';
import { methodInputs, RunConfig, runMethods } from '../../../../shared/run/run-config';

describe('RunConfig', () => {
  it('fills the defaults measured on BUSI from just a dataset name', () => {
    const config = RunConfig.parse({ dataset: 'busi' });
    expect(config).toMatchObject({
      dataset: 'busi',
      seed: 1,
      seeds: 1,
      imageSize: 160,
      batchSize: 20,
      methods: [...runMethods],
      stage1: { epochs: 20, optimizer: 'adam', lr: 3e-4, momentum: 0.9, labelSmoothing: 0 },
      stage2: { epochs: 8, lr: 3e-3, head: 'linear' },
      evaluation: { views: 8 },
      augmentation: { preset: 'paper', horizontalFlip: false, verticalFlip: false },
      encoders: { image: { kind: 'builtin', id: 'nsfwjs-mobilenetv2' }, text: { kind: 'use-lite' } },
    });
  });

  it.each([
    ['no dataset', {}],
    ['an unknown key', { dataset: 'd', learningRate: 1 }],
    ['a zero batch', { dataset: 'd', batchSize: 0 }],
    ['an unknown method', { dataset: 'd', methods: ['magic'] }],
    ['an empty method list', { dataset: 'd', methods: [] }],
    ['a negative learning rate', { dataset: 'd', stage1: { lr: -1 } }],
    ['a text encoder folder without a path', { dataset: 'd', encoders: { text: { kind: 'hf-local' } } }],
  ])('refuses %s', (_what, input) => {
    expect(RunConfig.safeParse(input).success).toBe(false);
  });

  it('keeps explicit choices and round-trips through JSON (stored with the run)', () => {
    const config = RunConfig.parse({
      dataset: 'd',
      seeds: 3,
      methods: ['stage1_image', 'proposed'],
      stage2: { head: 'mlp' },
      encoders: { text: { kind: 'none' } },
    });
    expect(RunConfig.parse(JSON.parse(JSON.stringify(config)))).toEqual(config);
    expect(config.stage2).toEqual({ epochs: 8, lr: 3e-3, head: 'mlp', hidden: 256 });
  });

  it('states that only stage 1 trains the backbone and which methods see the note', () => {
    expect(runMethods.filter((m) => methodInputs[m].trainsBackbone)).toEqual(['stage1_image']);
    expect(runMethods.filter((m) => methodInputs[m].note)).toEqual([
      'traditional_multimodal',
      'proposed',
      'note_only',
    ]);
  });
});
