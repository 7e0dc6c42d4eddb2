import type { LabelConflict } from '../../shared/contract/index';
import { ModalDialog } from '../components/modal-dialog';
import { conflictChoices, describeConflict, type ConflictChoice } from './label-conflict';

const choiceText: Record<ConflictChoice, (mine: string) => string> = {
  'keep-theirs': () => 'Keep theirs',
  replace: (mine) => `Replace with ${mine}`,
  'label-both': () => 'Label both',
};

/**
 * Shown when a label write lost to another workstation's: what is stored now, by whom and when,
 * and the answers (keep theirs / replace / label both for a multi-label task). Escape keeps theirs.
 */
export const LabelConflictDialog = ({
  conflict,
  mine,
  kind,
  file,
  now = Date.now(),
  onChoose,
}: {
  conflict: LabelConflict;
  mine: readonly string[];
  kind: 'single' | 'multi';
  file: string;
  now?: number;
  onChoose: (choice: ConflictChoice) => void;
}) => {
  const mineText = mine.length > 0 ? mine.join(', ') : 'no label';
  return (
    <ModalDialog
      labelledBy="label-conflict-title"
      onClose={() => onChoose('keep-theirs')}
      className="label-conflict"
    >
      <h2 id="label-conflict-title">Someone else labelled this image</h2>
      <p data-testid="label-conflict-what">
        {file}: {describeConflict(conflict, now)}. You chose {mineText}.
      </p>
      <div className="dialog-actions">
        {conflictChoices(kind).map((choice, i) => (
          <button key={choice} type="button" autoFocus={i === 0} onClick={() => onChoose(choice)}>
            {choiceText[choice](mineText)}
          </button>
        ))}
      </div>
    </ModalDialog>
  );
};
