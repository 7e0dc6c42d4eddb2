import type { AcceptedSuggestion, AssistantStatus } from '../../shared/contract/index';

/** "87%": a probability as people read it (never "100%" unless it is 1). */
export const percent = (p: number): string => {
  const rounded = Math.round(p * 100);
  return `${rounded === 100 && p < 1 ? 99 : rounded}%`;
};

/** How the history shows a label that was an accepted suggestion: "accepted suggestion (model, 87%)". */
export const acceptedText = (s: AcceptedSuggestion): string =>
  `accepted suggestion (${s.modelId}, ${percent(s.p)})`;

/**
 * The assistant's state in a few words, for the status line: what it is doing, what its model was
 * trained on, or why it is unavailable.
 */
export const statusText = (s: AssistantStatus | null): string => {
  if (!s) return 'Assistant: …';
  switch (s.state) {
    case 'extracting':
      return `Assistant: reading image features ${s.featuresDone.toLocaleString('en')} / ${s.featuresTotal.toLocaleString('en')}…`;
    case 'training':
      return `Assistant: training on ${s.labeled.toLocaleString('en')} labels…`;
    case 'unavailable':
      return `Assistant unavailable${s.reason ? `: ${s.reason}` : ''}`;
    case 'ready':
    case 'idle':
      if (s.model) {
        const source =
          s.model.source === 'run'
            ? ` (run ${s.model.runId ?? ''}${s.model.method ? ` ${s.model.method}` : ''})`
            : '';
        return `Assistant: model trained on ${s.model.trainedOn.toLocaleString('en')} labels${source}`;
      }
      return `Assistant: ${s.reason ?? 'waiting for labels'}`;
  }
};
