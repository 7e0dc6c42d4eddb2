import type { AppErrorShape, AssistantStatus } from '../../shared/contract/index';
import { statusText } from './assistant-text';
import '../styles/assistant.css';

/**
 * The assistant's state as a small, quiet line (never a modal, never a spinner that blocks): busy
 * states are marked for assistive technology with `aria-busy`, and the text says what it does.
 */
export const AssistantStatusLine = ({
  status,
  error = null,
}: {
  status: AssistantStatus | null;
  error?: AppErrorShape | null;
}) => (
  <span
    className={`assistant-status muted small${status?.state === 'unavailable' ? ' unavailable' : ''}`}
    data-testid="assistant-status"
    data-state={status?.state ?? 'loading'}
    data-model={status?.model?.id ?? ''}
    aria-busy={status?.state === 'training' || status?.state === 'extracting'}
    title={status?.lastRetrainMs != null ? `last retrain ${Math.round(status.lastRetrainMs)} ms` : undefined}
  >
    {error && !status ? `Assistant unavailable: ${error.message}` : statusText(status)}
  </span>
);
