/**
 * Shortens a file path for the status bar: keeps the last segments whole (the workspace folder
 * and file name say the most) and replaces what does not fit with "…". The full path goes in the
 * element's title. Works with / and \ separators.
 */
export const shortenPath = (path: string, max = 40): string => {
  if (path.length <= max) return path;
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const parts = path.split(sep).filter(Boolean);
  let tail = parts.pop() ?? path;
  if (tail.length + 2 > max) return `…${tail.slice(tail.length - (max - 1))}`;
  while (parts.length > 0 && parts.at(-1)!.length + tail.length + 3 <= max)
    tail = `${parts.pop()}${sep}${tail}`;
  return `…${sep}${tail}`;
};

/**
 * The status bar's catalog: a file path shortened as {@link shortenPath}; a shared catalog's
 * (already redacted) postgres:// URL as `user@host/database`, without scheme, password marker or
 * connection parameters, cut in the middle when long (host and database both stay in sight).
 */
export const shortenCatalogLocation = (location: string, max = 40): string => {
  const url = /^postgres(?:ql)?:\/\/([^?#]*)/i.exec(location.trim());
  if (!url) return shortenPath(location, max);
  const short = url[1]!.replace(/:[^@/]*@/, '@');
  return middleEllipsis(short, max);
};

/**
 * Cuts a file name in the middle ("frame_2019_05_…_0034.png") so the end, where frames of one
 * sweep differ, stays visible; names that fit are kept whole.
 */
export const middleEllipsis = (name: string, max = 24): string => {
  if (name.length <= max) return name;
  const keepEnd = Math.ceil((max - 1) / 2);
  return `${name.slice(0, max - 1 - keepEnd)}…${name.slice(name.length - keepEnd)}`;
};
