/** "1 h 02 min", "3 min 05 s", "12 s": durations for ETAs and timings. */
export const formatDuration = (seconds: number | null): string => {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600)
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
};

/** "12.3/s" with sensible precision; "—" when unknown. */
export const formatRate = (perSecond: number | null): string =>
  perSecond === null || !Number.isFinite(perSecond)
    ? '—'
    : `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`;
