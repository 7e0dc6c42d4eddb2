import type { QueueMode } from '../../shared/contract/index';
import { SegmentedButtons } from '../components/segmented-buttons';

const MODES: readonly QueueMode[] = ['import', 'informative', 'class'];
const MODE_TEXT: Record<QueueMode, string> = {
  import: 'Import order',
  informative: 'Most informative',
  class: 'One predicted class',
};

/**
 * Which order "Next image" follows: import order, the assistant's most informative first, or the
 * images it predicts as one class (with that class's picker).
 */
export const QueueModePicker = ({
  mode,
  className,
  classes,
  onChange,
}: {
  mode: QueueMode;
  className: string | null;
  classes: readonly string[];
  onChange: (mode: QueueMode, className: string | null) => void;
}) => (
  <span className="queue-mode" data-testid="queue-mode">
    <SegmentedButtons
      label="Next image order"
      options={MODES}
      value={mode}
      optionLabel={(m) => MODE_TEXT[m]}
      onChange={(m) => onChange(m, m === 'class' ? (className ?? classes[0] ?? null) : className)}
    />
    {mode === 'class' ? (
      <select
        aria-label="Predicted class"
        value={className ?? ''}
        onChange={(e) => onChange('class', e.target.value || null)}
      >
        {classes.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    ) : null}
  </span>
);
