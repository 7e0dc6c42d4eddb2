export interface Series {
  name: string;
  points: ReadonlyArray<{ x: number; y: number }>;
  /** A CSS class that sets the stroke colour (see app.css .series-*). */
  tone: string;
  dashed?: boolean;
}

export interface ChartScale {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The data range of all series, padded so flat lines stay visible. */
export const chartScale = (series: readonly Series[]): ChartScale => {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  if (xs.length === 0 || ys.length === 0) return { x0: 0, x1: 1, y0: 0, y1: 1 };
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y1 - y0 < 1e-9) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  return { x0: Math.min(...xs), x1: Math.max(Math.max(...xs), Math.min(...xs) + 1), y0, y1 };
};

/** SVG path of one series in a width×height box. */
export const seriesPath = (
  points: Series['points'],
  scale: ChartScale,
  width: number,
  height: number,
): string =>
  points
    .filter((p) => Number.isFinite(p.y))
    .map((p, i) => {
      const x = ((p.x - scale.x0) / (scale.x1 - scale.x0)) * width;
      const y = height - ((p.y - scale.y0) / (scale.y1 - scale.y0)) * height;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');

/** A small dependency-free line chart (loss and accuracy curves), redrawn as points arrive. */
export const LineChart = ({
  title,
  series,
  width = 360,
  height = 160,
  yLabel,
}: {
  title: string;
  series: readonly Series[];
  width?: number;
  height?: number;
  yLabel: string;
}) => {
  const scale = chartScale(series);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`-40 -8 ${width + 48} ${height + 28}`}
        role="img"
        aria-label={`${title}: ${series.map((s) => `${s.name} ${s.points.length} points`).join(', ')}`}
      >
        <line x1={0} y1={height} x2={width} y2={height} className="axis" />
        <line x1={0} y1={0} x2={0} y2={height} className="axis" />
        <text x={-6} y={8} className="tick" textAnchor="end">
          {scale.y1.toFixed(2)}
        </text>
        <text x={-6} y={height} className="tick" textAnchor="end">
          {scale.y0.toFixed(2)}
        </text>
        <text x={width} y={height + 16} className="tick" textAnchor="end">
          {yLabel} · x {scale.x0}–{scale.x1}
        </text>
        {series.map((s) => (
          <path
            key={s.name}
            d={seriesPath(s.points, scale, width, height)}
            className={`series ${s.tone}${s.dashed ? ' dashed' : ''}`}
            data-series={s.name}
          />
        ))}
      </svg>
      <ul className="legend">
        {series.map((s) => (
          <li key={s.name} className={s.tone}>
            {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
};
