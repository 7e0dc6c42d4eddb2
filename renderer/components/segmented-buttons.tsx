/** Props of {@link SegmentedButtons}. */
export interface SegmentedButtonsProps<T extends string | number> {
  /** The group's accessible name ("Split of the confusion matrix"). */
  label: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  /** The text of one option's button. */
  optionLabel: (value: T) => string;
}

/**
 * A row of toggle buttons of which exactly one is pressed (split, seed or stage pickers): one
 * `role="group"` with `aria-pressed` buttons, so every picker reads the same to a screen reader.
 */
export const SegmentedButtons = <T extends string | number>({
  label,
  options,
  value,
  onChange,
  optionLabel,
}: SegmentedButtonsProps<T>) => (
  <div className="segmented" role="group" aria-label={label}>
    {options.map((option) => (
      <button
        key={option}
        type="button"
        className={option === value ? 'button small active' : 'button small'}
        aria-pressed={option === value}
        onClick={() => onChange(option)}
      >
        {optionLabel(option)}
      </button>
    ))}
  </div>
);
