/**
 * The saliency heat map's colour scale (dark blue → cyan → yellow → red), shared by the PNG main
 * renders and the legend the review draws, so both always agree.
 */
export const SALIENCY_STOPS: ReadonlyArray<readonly [number, readonly [number, number, number]]> = [
  [0, [30, 40, 140]],
  [0.35, [0, 190, 220]],
  [0.65, [250, 230, 40]],
  [1, [220, 20, 20]],
];

/** The RGB colour of a saliency value in [0, 1] (clamped), linearly between the stops. */
export const saliencyColour = (value: number): [number, number, number] => {
  const v = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  let i = 1;
  while (i < SALIENCY_STOPS.length - 1 && v > SALIENCY_STOPS[i]![0]) i++;
  const [v0, c0] = SALIENCY_STOPS[i - 1]!;
  const [v1, c1] = SALIENCY_STOPS[i]!;
  const t = v1 > v0 ? (v - v0) / (v1 - v0) : 0;
  return [0, 1, 2].map((k) => Math.round(c0[k]! + t * (c1[k]! - c0[k]!))) as [number, number, number];
};

/** The scale as a CSS linear-gradient (left = 0, right = 1) for the legend. */
export const saliencyGradientCss = (): string =>
  `linear-gradient(to right, ${SALIENCY_STOPS.map(([v, c]) => `rgb(${c.join(' ')}) ${v * 100}%`).join(', ')})`;
