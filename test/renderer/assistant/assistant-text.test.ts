import { describe, expect, it } from 'vitest';
import { acceptedText, percent, statusText } from '../../../renderer/assistant/assistant-text';
import { readyStatus } from '../fake-assistant';

describe('assistant texts', () => {
  it('rounds probabilities to whole percents, never showing 100% below 1', () => {
    expect([percent(0.874), percent(0.995), percent(1), percent(0.004)]).toEqual([
      '87%',
      '99%',
      '100%',
      '0%',
    ]);
  });

  it('says an accepted suggestion with its model and probability', () => {
    expect(acceptedText({ modelId: 'features-12', p: 0.87 })).toBe('accepted suggestion (features-12, 87%)');
  });

  it('says what the assistant is doing, what its model learned from, or why it is unavailable', () => {
    const s = readyStatus(1234);
    expect(statusText(s)).toBe('Assistant: model trained on 1,234 labels');
    expect(statusText({ ...s, state: 'extracting', featuresDone: 10, featuresTotal: 2000 })).toBe(
      'Assistant: reading image features 10 / 2,000…',
    );
    expect(statusText({ ...s, state: 'unavailable', reason: 'no split yet', model: null })).toBe(
      'Assistant unavailable: no split yet',
    );
    expect(statusText({ ...s, model: { ...s.model!, source: 'run', runId: 3, method: 'proposed' } })).toBe(
      'Assistant: model trained on 1,234 labels (run 3 proposed)',
    );
    expect(statusText({ ...s, state: 'idle', model: null, reason: undefined })).toBe(
      'Assistant: waiting for labels',
    );
  });
});
