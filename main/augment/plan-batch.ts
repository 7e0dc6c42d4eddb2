import {
  GEOMETRIC_KINDS,
  type AugmentConfig,
  type DrawnParams,
  type DrawnStep,
} from '../../shared/augment/augment-config';
import {
  boxPolygon,
  compose,
  convexRowSpans,
  invert,
  isIdentity,
  mapPolygon,
  scale,
  toTransformRow,
  IDENTITY,
  type Affine,
  type Polygon,
} from './augment-geometry';
import type { BatchPlan, PlanOp } from './augment-plan-types';
import { drawGeometry, frameAfter, type GeometricStep } from './draw-geometry';
import { drawPhotometric, type PhotometricStep, type StepStreams } from './draw-photometric';
import { createRng, mixSeed, STREAM } from '../../shared/random/seeded-random';
import type { SectorInfo } from './sector-detect';

export interface PlanBatchInput {
  config: AugmentConfig;
  batchSize: number;
  /** Frame of the input batch tensor. */
  height: number;
  width: number;
  /** The batch seed, e.g. `batchSeed(runSeed, epoch, batchIndex)`. */
  seed: number;
  /** Per image, its sector in normalised coordinates of the input frame (null: none known). */
  sectors?: ReadonlyArray<SectorInfo | null | undefined>;
}

/** Per-image geometric state: pending map (current frame → tensor frame) and tracked polygons. */
interface ImageGeo {
  pending: Affine;
  sector: Polygon | null;
  overlays: Polygon[];
}

const isGeometric = (s: AugmentConfig['steps'][number]): s is GeometricStep =>
  GEOMETRIC_KINDS.includes(s.kind);

/**
 * Draws every random value of a batch in JS and returns the tensor ops to run. Each image `i` has
 * its own streams `mixSeed(seed, i, stream, step)`, so an image's draws do not depend on the other
 * images in the batch nor on the other steps' parameters (editing one step leaves the rest
 * unchanged in a live preview). Consecutive geometric steps are composed into one projective
 * transform per image (one interpolation, one pass); the sector/overlay mask is applied once,
 * right after the first geometric run, using the polygons mapped into that frame.
 */
export const planBatch = ({
  config,
  batchSize: B,
  height,
  width,
  seed,
  sectors,
}: PlanBatchInput): BatchPlan => {
  const imageSeeds = Array.from({ length: B }, (_, i) => mixSeed(seed, i));
  const params: DrawnParams[] = imageSeeds.map((imageSeed, index) => ({ index, imageSeed, steps: [] }));
  const ops: PlanOp[] = [];
  const needMask = config.sector.maskOutside || config.sector.overlayRects.length > 0;
  const geo: ImageGeo[] = imageSeeds.map((_, i) => {
    const s = sectors?.[i];
    const toFrame = (p: readonly [number, number]): [number, number] => [p[0] * width, p[1] * height];
    return {
      pending: IDENTITY,
      sector: s?.found ? s.polygon.map(toFrame) : null,
      overlays: config.sector.overlayRects.map((r) =>
        boxPolygon({
          x: r.x0 * width,
          y: r.y0 * height,
          w: (r.x1 - r.x0) * width,
          h: (r.y1 - r.y0) * height,
        }),
      ),
    };
  });
  let h = height;
  let w = width;
  let runH = height; // frame of the tensor at the last flush
  let runW = width;
  let fill: { fill: 'constant' | 'reflect' | 'nearest'; fillValue: number } | null = null;
  let masked = !needMask;

  const flush = () => {
    const rows = new Float32Array(B * 8);
    let identity = h === runH && w === runW;
    geo.forEach((g, i) => {
      rows.set(toTransformRow(g.pending), i * 8);
      identity &&= isIdentity(g.pending);
      g.pending = IDENTITY;
    });
    // Without a rotation the run only resizes/crops/flips: replicate edges (tf.image.resizeBilinear's behaviour).
    const f = fill ?? { fill: 'nearest' as const, fillValue: 0 };
    if (!identity) ops.push({ op: 'geometry', rows, outH: h, outW: w, identity, ...f });
    fill = null;
    runH = h;
    runW = w;
    if (!masked) {
      masked = true;
      const spans = () => ({ left: new Float32Array(B * h), right: new Float32Array(B * h) });
      const keep = spans();
      const frame = boxPolygon({ x: 0, y: 0, w, h });
      geo.forEach((g, i) =>
        convexRowSpans(
          config.sector.maskOutside && g.sector ? g.sector : frame,
          h,
          keep.left,
          keep.right,
          i * h,
        ),
      );
      const holes = config.sector.overlayRects.map((_, k) => {
        const s = spans();
        geo.forEach((g, i) => convexRowSpans(g.overlays[k], h, s.left, s.right, i * h));
        return s;
      });
      ops.push({ op: 'mask', h, w, left: keep.left, right: keep.right, holes });
    }
  };

  const streamsFor = (k: number): StepStreams[] =>
    imageSeeds.map((s) => ({
      params: createRng(mixSeed(s, STREAM.params, k)),
      noise: () => createRng(mixSeed(s, STREAM.noise, k)),
    }));

  const advance = (maps: Affine[], next: { h: number; w: number }) => {
    geo.forEach((g, i) => {
      const forward = invert(maps[i]);
      g.pending = compose(g.pending, maps[i]);
      g.sector = g.sector ? mapPolygon(forward, g.sector) : null;
      g.overlays = g.overlays.map((p) => mapPolygon(forward, p));
    });
    h = next.h;
    w = next.w;
  };

  config.steps.forEach((step, k) => {
    const streams = streamsFor(k);
    if (isGeometric(step)) {
      const draws = streams.map((s, i) => drawGeometry(step, s.params, h, w, geo[i].sector));
      draws.forEach((d, i) =>
        params[i].steps.push({ kind: step.kind, applied: d.applied, values: d.values }),
      );
      if (step.kind === 'rotation') fill = { fill: step.fill, fillValue: step.fillValue };
      advance(
        draws.map((d) => d.map),
        frameAfter(step, h, w),
      );
      return;
    }
    flush();
    const { op, drawn } = drawPhotometric(step as PhotometricStep, streams, h, w);
    drawn.forEach((d: DrawnStep, i) => params[i].steps.push(d));
    ops.push(op);
  });

  const size = config.outputSize;
  if (h !== size || w !== size) {
    advance(
      geo.map(() => scale(w / size, h / size)),
      { h: size, w: size },
    );
  }
  flush();
  return { ops, params, outH: h, outW: w };
};
