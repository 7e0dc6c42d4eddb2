import type {
  AssistantStatus,
  AssistSimResult,
  CallChannel,
  CallParsedInput,
  Result,
  Suggestion,
} from '../../shared/contract/index';

type Answer = (input: unknown) => Result<unknown>;

/** A ready assistant status (model `m1` trained on `trainedOn` labels), for dataset 1 / task `label`. */
export const readyStatus = (trainedOn = 10, modelId = 'm1'): AssistantStatus => ({
  datasetId: 1,
  task: 'label',
  state: 'ready',
  labeled: trainedOn,
  featuresDone: 12,
  featuresTotal: 12,
  model: { id: modelId, source: 'features', trainedAt: '2026-01-02T10:00:00.000Z', trainedOn },
  lastRetrainMs: 120,
});

/** A suggestion of `label` with probability `p` for image `imageId` (the rest shared by the other classes). */
export const suggestion = (imageId: number, label: string, p: number, modelId = 'm1'): Suggestion => ({
  imageId,
  label,
  p,
  probs: { [label]: p },
  modelId,
});

/**
 * The `assistant:*` answers of a fake API: a status, suggestions (only the asked images when the
 * call names some, as the real service), a queue per mode and a stored simulation.
 */
export const createFakeAssistant = (
  options: {
    status?: AssistantStatus;
    suggestions?: Suggestion[];
    queue?: Partial<Record<'import' | 'informative' | 'class', number[]>>;
    simulation?: AssistSimResult | null;
  } = {},
) => {
  const state = {
    status: options.status ?? readyStatus(),
    suggestions: options.suggestions ?? [],
    queue: options.queue ?? {},
    simulation: options.simulation ?? null,
  };
  const ok = <T>(value: T): Result<T> => ({ ok: true, value });
  const answers: Partial<Record<CallChannel, Answer>> = {
    'assistant:status': () => ok(state.status),
    'assistant:suggestions': (input) => {
      const i = input as CallParsedInput<'assistant:suggestions'>;
      return ok(
        i.imageIds ? state.suggestions.filter((s) => i.imageIds!.includes(s.imageId)) : state.suggestions,
      );
    },
    'assistant:queue': (input) => {
      const i = input as CallParsedInput<'assistant:queue'>;
      const ids =
        i.mode === 'class'
          ? state.suggestions.filter((s) => s.label === i.className).map((s) => s.imageId)
          : (state.queue[i.mode] ?? []);
      return ok(ids.slice(0, i.limit));
    },
    'assistant:useModel': (input) => {
      const i = input as CallParsedInput<'assistant:useModel'>;
      state.status = {
        ...state.status,
        model: state.status.model && { ...state.status.model, source: i.source },
      };
      return ok(state.status);
    },
    'assistant:simulation': () => ok(state.simulation),
  };
  return { answers, state };
};
