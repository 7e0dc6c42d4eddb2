import type { HfLocalOptions } from './text-encoder-hf';
import type { TextEncoder } from './text-encoder-types';
import type { UseLiteOptions } from './text-encoder-use';
import { createUseLiteEncoder } from './text-encoder-use';

/** Which note encoder to build: USE lite from npm (default) or a local transformers.js model folder. */
export type TextEncoderConfig =
  ({ kind: 'use-lite' } & UseLiteOptions) | ({ kind: 'hf-local' } & HfLocalOptions);

/**
 * Builds a note encoder from local files only. The transformers.js module (and its ONNX runtime) is
 * imported only when `hf-local` is asked for, so the default path never loads it.
 */
export const createTextEncoder = async (config: TextEncoderConfig): Promise<TextEncoder> => {
  if (config.kind === 'use-lite') return createUseLiteEncoder(config);
  const { createHfLocalEncoder } = await import('./text-encoder-hf');
  return createHfLocalEncoder(config);
};

export type { TextEncoder } from './text-encoder-types';
export { isMissingNote } from './text-encoder-types';
