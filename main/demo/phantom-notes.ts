import type { PhantomClass } from './phantom-anatomy';
import type { Random } from '../../shared/random/seeded-random';

/** Notes that describe the view (informative). */
const informative: Record<PhantomClass, string[]> = {
  head: [
    'BPD and HC measured at the trans-thalamic level.',
    'Skull outline intact, midline echo central.',
    'Cavum septi pellucidi seen; head circumference taken.',
  ],
  abdomen: [
    'AC measured at the level of the stomach bubble.',
    'Stomach visualised on the left, umbilical vein in view.',
    'Abdominal circumference plane obtained.',
  ],
  femur: [
    'Femur length measured, bone ends clearly seen.',
    'FL obtained with the beam perpendicular to the shaft.',
    'Long bone measured, no bowing.',
  ],
  thorax: [
    'Four-chamber view, heart rate regular.',
    'Cardiac axis normal, four chambers seen.',
    'Thorax: heart occupies a third of the chest.',
  ],
  other: [
    'Amniotic fluid pockets assessed.',
    'Placenta posterior, clear of the os.',
    'Cord insertion checked.',
  ],
};

/** Notes that say nothing about the view. */
const uninformative = [
  'Routine growth scan.',
  'Patient comfortable, scan tolerated well.',
  'Images stored for review.',
  'Follow-up as planned.',
  '',
];

export type NoteKind = 'informative' | 'uninformative' | 'misleading';

/**
 * Draws the clinical note of one synthetic frame: mostly informative, some uninformative (or
 * empty), and a share deliberately misleading (describing another view), so that fused models
 * have to weigh image against text as with real notes.
 */
export const drawNote = (
  label: PhantomClass,
  rnd: Random,
  rates: { uninformative: number; misleading: number },
  classes: readonly PhantomClass[],
): { note: string; kind: NoteKind } => {
  const roll = rnd.next();
  if (roll < rates.misleading) {
    const other = rnd.pick(classes.filter((c) => c !== label));
    return { note: rnd.pick(informative[other]), kind: 'misleading' };
  }
  if (roll < rates.misleading + rates.uninformative)
    return { note: rnd.pick(uninformative), kind: 'uninformative' };
  return { note: rnd.pick(informative[label]), kind: 'informative' };
};

/** Probe metadata, correlated with (but not determined by) the view. */
export const drawProbeMetadata = (
  label: PhantomClass,
  rnd: Random,
): { probe_orientation: string; sweep_region: string; depth_cm: number } => {
  const typical: Record<PhantomClass, [string, string]> = {
    head: ['transverse', 'cranial'],
    abdomen: ['transverse', 'mid'],
    femur: ['sagittal', 'caudal'],
    thorax: ['transverse', 'mid'],
    other: ['oblique', 'mid'],
  };
  const [orientation, region] = typical[label];
  return {
    probe_orientation: rnd.chance(0.7) ? orientation : rnd.pick(['transverse', 'sagittal', 'oblique']),
    sweep_region: rnd.chance(0.6) ? region : rnd.pick(['cranial', 'mid', 'caudal']),
    depth_cm: Math.round(rnd.range(8, 16) * 10) / 10,
  };
};
