import type { AugmentStep } from '../../shared/augment/augment-config';

type Value = unknown;

const label = (key: string): string => key.replace(/([A-Z])/g, ' $1').toLowerCase();

/** Step size of a number field: probabilities and factors in hundredths, pixels and degrees in ones. */
const stepOf = (key: string, value: number): number =>
  ['size', 'degrees', 'count'].includes(key) || (Number.isInteger(value) && Math.abs(value) >= 10) ? 1 : 0.01;

/**
 * The parameters of one augmentation step as form fields, generated from the step's own values:
 * numbers, [min, max] ranges and switches are editable; other values are shown. Changes go up as a
 * whole new step, which the parent validates against the shared zod schema.
 */
export const StepEditor = ({
  step,
  index,
  onChange,
  onRemove,
}: {
  step: AugmentStep;
  index: number;
  onChange: (step: AugmentStep) => void;
  onRemove: () => void;
}) => {
  const set = (key: string, value: Value) => onChange({ ...step, [key]: value } as AugmentStep);
  const id = (key: string, part = '') => `step-${index}-${key}${part}`;
  return (
    <fieldset className="step-editor">
      <legend>
        {index + 1}. {step.kind}
      </legend>
      {Object.entries(step).map(([key, value]) => {
        if (key === 'kind') return null;
        if (typeof value === 'number')
          return (
            <label key={key} className="field" htmlFor={id(key)}>
              <span>{label(key)}</span>
              <input
                id={id(key)}
                type="number"
                value={value}
                step={stepOf(key, value)}
                onChange={(e) => set(key, Number(e.target.value))}
              />
            </label>
          );
        if (typeof value === 'boolean')
          return (
            <label key={key} className="field checkbox">
              <input type="checkbox" checked={value} onChange={(e) => set(key, e.target.checked)} />
              <span>{label(key)}</span>
            </label>
          );
        if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number'))
          return (
            <div
              key={key}
              className="field range-field"
              role="group"
              aria-label={`${step.kind} ${label(key)}`}
            >
              <span>{label(key)}</span>
              <span className="pair">
                {(value as number[]).map((v, j) => (
                  <input
                    key={j}
                    type="number"
                    value={v}
                    step={stepOf(key, v)}
                    aria-label={`${label(key)} ${j === 0 ? 'min' : 'max'}`}
                    onChange={(e) => {
                      const next = [...(value as number[])];
                      next[j] = Number(e.target.value);
                      set(key, next);
                    }}
                  />
                ))}
              </span>
            </div>
          );
        if (typeof value === 'string')
          return (
            <span key={key} className="field">
              <span>{label(key)}</span>
              <span className="static">{value}</span>
            </span>
          );
        return null;
      })}
      <button
        type="button"
        className="link-button remove-step"
        onClick={onRemove}
        aria-label={`Remove step ${index + 1}, ${step.kind}`}
      >
        Remove
      </button>
    </fieldset>
  );
};
