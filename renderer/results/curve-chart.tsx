import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { methodLabels, runMethods, type RunMethod } from '../../shared/run/run-config';
import type { CurvePoint } from '../../shared/run/run-progress';

/** One colour per method (distinct on the dark theme); train solid, validation dashed. */
export const METHOD_COLOURS: Record<RunMethod, string> = {
  linear_probe: '#e0a84f',
  traditional_multimodal: '#c678dd',
  stage1_image: '#4fb3bf',
  proposed: '#5cb85c',
  note_only: '#e06c6c',
  metadata_only: '#9aa5ff',
};

/** Which stage trains a method's curve (the heads share one stage). */
export type CurveStage = 'stage1' | 'stage2' | 'heads';
export const stageOfMethod = (m: RunMethod): CurveStage =>
  m === 'stage1_image' ? 'stage1' : m === 'proposed' ? 'stage2' : 'heads';
export const curveStageLabels: Record<CurveStage, string> = {
  stage1: 'Stage 1 (fine-tuning)',
  stage2: 'Stage 2 (fusion head)',
  heads: 'Frozen-feature heads',
};

export interface CurveSeries {
  method: RunMethod;
  kind: 'train' | 'validation';
  label: string;
  colour: string;
  dashed: boolean;
  /** One value per epoch of `CurveData.epochs`; null where that epoch has none. */
  values: Array<number | null>;
}

export interface CurveData {
  /** 1 … the stage's last epoch. */
  epochs: number[];
  series: CurveSeries[];
}

/**
 * The chart's data: epochs 1 … max(the stage's planned epochs, the last epoch with a point), and a
 * train and a validation series per method (series without any value are left out).
 */
export const curveData = (
  curves: readonly CurvePoint[],
  quantity: 'loss' | 'accuracy',
  plannedEpochs = 0,
): CurveData => {
  const last = Math.max(plannedEpochs, 1, ...curves.map((c) => c.epoch));
  const epochs = Array.from({ length: last }, (_, i) => i + 1);
  const methods = runMethods.filter((m) => curves.some((c) => c.method === m));
  const series = methods.flatMap((method) =>
    (['train', 'validation'] as const).map((kind): CurveSeries => {
      const at = new Map<number, number>();
      for (const c of curves) {
        if (c.method !== method) continue;
        const v =
          quantity === 'loss'
            ? kind === 'train'
              ? c.trainLoss
              : c.validationLoss
            : kind === 'train'
              ? c.trainAccuracy
              : c.validationAccuracy;
        if (v !== null && Number.isFinite(v)) at.set(c.epoch, v);
      }
      return {
        method,
        kind,
        label: `${methodLabels[method]} · ${kind}`,
        colour: METHOD_COLOURS[method],
        dashed: kind === 'validation',
        values: epochs.map((e) => at.get(e) ?? null),
      };
    }),
  );
  return { epochs, series: series.filter((s) => s.values.some((v) => v !== null)) };
};

/** Whether this window can draw on a canvas (not in jsdom). */
const canDraw = (): boolean =>
  typeof window.matchMedia === 'function' && document.createElement('canvas').getContext('2d') !== null;

const AXIS = { stroke: '#8b96a3', grid: { stroke: '#262d36', width: 1 }, ticks: { stroke: '#262d36' } };

/** One line of a {@link LineChart}: a value per x (null where there is none). */
export interface LineSeries {
  label: string;
  colour: string;
  dashed: boolean;
  values: Array<number | null>;
}

/**
 * A line chart drawn by uPlot: full width of its container, values under the cursor in the
 * legend, and an accessible name that summarises every series. The one uPlot chart of the app:
 * training curves per epoch ({@link CurveChart}) and the assistant's learning curves per number of
 * labels both draw through it.
 */
export const LineChart = ({
  title,
  caption,
  xLabel,
  x,
  series,
  yFormat,
  xFrom = 1,
  empty,
  height = 220,
}: {
  title: string;
  /** Shown after the title, e.g. "epochs 1–20". */
  caption: string;
  xLabel: string;
  x: number[];
  series: LineSeries[];
  yFormat: (v: number) => string;
  /** Where the x axis starts (epochs: 1; label counts: the smallest x). */
  xFrom?: number;
  /** Said where there are no points. */
  empty: string;
  height?: number;
}) => {
  const box = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const aligned = [x, ...series.map((s) => s.values)] as uPlot.AlignedData;
  const latest = useRef({ series, aligned, yFormat, xFrom });
  latest.current = { series, aligned, yFormat, xFrom };
  // The chart is built once per set of series; new points only update its data (no re-layout).
  const seriesKey = JSON.stringify(series.map((s) => [s.label, s.colour, s.dashed]));
  const dataKey = JSON.stringify(aligned);
  useEffect(() => {
    const el = box.current;
    if (!el || !canDraw() || latest.current.series.length === 0) return;
    let resize: ResizeObserver | null = null;
    let live = true;
    const width = () => Math.max(240, Math.floor(el.clientWidth));
    // Loaded on first draw: uPlot reads the display's pixel ratio when its module loads.
    void import('uplot').then(({ default: UPlot }) => {
      if (!live) return;
      const { series: d, aligned: a } = latest.current;
      const plot = new UPlot(
        {
          width: width(),
          height,
          scales: {
            x: {
              time: false,
              range: (_u, _min, max) => [latest.current.xFrom, Math.max(latest.current.xFrom + 1, max)],
            },
          },
          axes: [
            { ...AXIS, label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
            {
              ...AXIS,
              size: 56,
              values: (_u, vals) => vals.map((v) => latest.current.yFormat(v)),
            },
          ],
          legend: { live: true },
          cursor: { drag: { x: false, y: false } },
          series: [
            { label: xLabel },
            ...d.map((s) => ({
              label: s.label,
              stroke: s.colour,
              width: 2,
              dash: s.dashed ? [6, 4] : undefined,
              spanGaps: true,
              points: { show: true, size: 5, stroke: s.colour, fill: s.colour },
              value: (_u: uPlot, v: number | null) => (v === null ? '—' : v.toFixed(3)),
            })),
          ],
        },
        a,
        el,
      );
      plotRef.current = plot;
      resize = new ResizeObserver(() => plot.setSize({ width: width(), height }));
      resize.observe(el);
    });
    return () => {
      live = false;
      resize?.disconnect();
      plotRef.current?.destroy();
      plotRef.current = null;
    };
  }, [seriesKey, height, xLabel]);
  useEffect(() => {
    plotRef.current?.setData(latest.current.aligned);
  }, [dataKey]);
  const summary = series
    .map((s) => {
      const known = s.values.filter((v): v is number => v !== null);
      return `${s.label} ${known.length} points${known.length ? `, last ${known.at(-1)!.toFixed(3)}` : ''}`;
    })
    .join('; ');
  // A div, not a <figure>: role="img" is not allowed on figure (axe aria-allowed-role).
  return (
    <div
      className="curve-chart"
      aria-label={`${title}, ${caption}: ${summary || 'no points yet'}`}
      role="img"
    >
      <div className="curve-caption">
        {title} <span className="muted small">· {caption}</span>
      </div>
      <div ref={box} className={series.length > 0 ? 'curve-canvas drawn' : 'curve-canvas'} />
      {series.length === 0 ? <p className="muted small">{empty}</p> : null}
    </div>
  );
};

/**
 * A training curve: one colour per method, train solid and validation dashed, x over the stage's
 * epochs.
 */
export const CurveChart = ({
  title,
  quantity,
  curves,
  plannedEpochs,
  height = 220,
}: {
  title: string;
  quantity: 'loss' | 'accuracy';
  curves: readonly CurvePoint[];
  /** The stage's epoch count (live runs): the x axis ends there even before the points do. */
  plannedEpochs?: number;
  height?: number;
}) => {
  const data = curveData(curves, quantity, plannedEpochs);
  return (
    <LineChart
      title={title}
      caption={`epochs 1–${data.epochs.length}`}
      xLabel="epoch"
      x={data.epochs}
      series={data.series}
      yFormat={(v) => (quantity === 'accuracy' ? v.toFixed(2) : v.toPrecision(3))}
      empty="No epoch has finished yet."
      height={height}
    />
  );
};
