import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../../shared/random/seeded-random';
import type { AssistantPool } from '../../../../main/assistant/assistant-data';
import { simulatePool } from '../../../../main/assistant/simulate-pool';

/** 120 images of 3 classes: image features are pure noise, notes carry the class. */
const pool = (): AssistantPool => {
  const parts = ['train', 'train', 'train', 'validation', 'test'] as const;
  return {
    datasetId: 1,
    task: 'label',
    classes: ['a', 'b', 'c'],
    splitId: 1,
    rows: Array.from({ length: 120 }, (_, i) => ({
      id: i + 1,
      sha256: String(i).padStart(64, '0'),
      path: `/x/${i}`,
      label: i % 3,
      part: parts[i % 5]!,
      note: `note ${i}`,
    })),
  };
};

describe('simulatePool', () => {
  it('validation chooses the note embeddings when only they carry the class, and the test curve shows it', () => {
    const r = createRandom(4);
    const p = pool();
    const image = { x: Float32Array.from({ length: 120 * 4 }, () => r.normal()), dim: 4 };
    const notes = {
      x: Float32Array.from(
        { length: 120 * 3 },
        (_, k) => (k % 3 === Math.floor(k / 3) % 3 ? 2 : 0) + 0.3 * r.normal(),
      ),
      dim: 3,
    };
    const o = { strategies: ['random'] as const, seeds: [1], start: 6, batch: 30 };
    const withNotes = simulatePool(p, image, o, notes);
    expect(withNotes.choice.notes).toBe(true);
    expect(withNotes.choice.validationAccuracy).toBeGreaterThan(0.9);
    expect(withNotes.result.allLabelsAccuracy).toBeGreaterThan(0.9);
    const imageOnly = simulatePool(p, image, o);
    expect(imageOnly.choice.notes).toBe(false);
    expect(imageOnly.result.allLabelsAccuracy).toBeLessThan(0.6); // noise: about chance (1/3)
    expect(withNotes.result.n).toBe(72); // 3 of every 5 rows are in the train part
    expect(withNotes.result.testSize).toBe(24);
  });
});
