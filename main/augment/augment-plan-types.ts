import type { DrawnParams } from '../../shared/augment/augment-config';

/**
 * The plan of one batch: tensor operations with every random value already drawn in JS. Executing
 * a plan involves no randomness, so the same plan gives the same pixels on a given backend.
 */
export type PlanOp =
  | {
      op: 'geometry';
      /** B rows of tf.image.transform's 8 numbers (output pixel → input pixel). */
      rows: Float32Array;
      outH: number;
      outW: number;
      fill: 'constant' | 'reflect' | 'nearest';
      fillValue: number;
      /** True when every row is the identity and the size is unchanged (the op is skipped). */
      identity: boolean;
    }
  | {
      op: 'mask';
      h: number;
      w: number;
      /** Per image and row (B×h), the x-extent kept by the sector mask. */
      left: Float32Array;
      right: Float32Array;
      /** Per blanked overlay polygon, its B×h row extents. */
      holes: Array<{ left: Float32Array; right: Float32Array }>;
    }
  | { op: 'brightness' | 'contrast' | 'gamma'; values: Float32Array }
  | { op: 'depth-gain'; h: number; gains: Float32Array }
  /** Per image, full-resolution multiplicative noise `n` (h×w) or null where it does not apply: x·(1+n). */
  | { op: 'speckle'; h: number; w: number; noise: Array<Float32Array | null> }
  | { op: 'blur'; sigmas: Float32Array }
  | {
      op: 'cutout';
      h: number;
      w: number;
      value: number;
      /** Per hole slot, B boxes as x,y,w,h in edge pixels (w=0: no hole). */
      holes: Float32Array[];
    };

export interface BatchPlan {
  ops: PlanOp[];
  params: DrawnParams[];
  outH: number;
  outW: number;
}
