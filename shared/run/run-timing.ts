/**
 * The phases a run's `timing` reports, in seconds summed over seeds. The phases do not overlap
 * (a phase timed inside another is taken out of it), so they add up to `total`, the wall time of
 * the whole job; `other` is what no phase covers (checkpoints read back, predictions written).
 */
export const runTimingPhases = {
  decode: 'decoding every image once and finding its scan sector',
  encodings: 'note embeddings and metadata encoding (once per run)',
  replicas: "starting the trainer's network (wasm replica threads) for each seed",
  pretrained_features: 'pretrained backbone: augmented views and clean features of the training images',
  pretrained_eval_views: 'pretrained backbone: clean + test-time views of validation and test images',
  fit_linear_probe: 'linear probe head: training and scoring',
  fit_traditional_multimodal: 'traditional multimodal head: training and scoring',
  fit_note_only: 'note-only head: training and scoring',
  fit_metadata_only: 'metadata-only head: training and scoring',
  stage1_train: 'stage 1 fine-tuning steps (augmentation included)',
  stage1_validate: "stage 1's validation after every epoch",
  stage1_eval_views: 'fine-tuned backbone: clean + test-time views of validation and test images',
  stage2_clean_features: 'fine-tuned backbone: clean features of the training images (standardiser)',
  stage2_fresh_features: "stage 2's freshly augmented training batches through the frozen backbone",
  fit_proposed: 'fusion head (stage 2): steps, validation and scoring besides the fresh features',
  export: "the first seed's model export",
  other: 'not in any phase above',
  total: 'the whole job, wall time',
} as const;

export type RunTimingPhase = keyof typeof runTimingPhases;
