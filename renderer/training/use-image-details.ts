import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api-context';

/** What the review shows of an image besides the prediction: its note, metadata and current labels. */
export interface ImageContext {
  note: string | null;
  metadata: Record<string, string | number | null>;
  /** The image's labels for the run's task now (they may have changed since the run). */
  labels: string[];
}

/**
 * Notes, metadata and current labels of the images on screen (catalog:image, one call per image not read yet).
 * Images that fail to load are left out; the gallery then shows them without note and metadata.
 */
export const useImageDetails = (ids: readonly number[], task: string): Record<number, ImageContext> => {
  const api = useApi();
  const [details, setDetails] = useState<Record<number, ImageContext>>({});
  // Asked once per image and task; answers are merged even after the visible set changed.
  const asked = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const key = [...new Set(ids)].sort((a, b) => a - b).join(',');
  useEffect(() => {
    const missing = key
      .split(',')
      .filter(Boolean)
      .map(Number)
      .filter((id) => !asked.current.has(`${task}:${id}`));
    for (const id of missing) asked.current.add(`${task}:${id}`);
    void Promise.all(
      missing.map(async (id) => {
        const r = await api.catalog.image({ id, task });
        return r.ok
          ? ([
              id,
              {
                note: r.value.note,
                metadata: Object.fromEntries(r.value.metadata.map((m) => [m.key, m.value])),
                labels: r.value.labels,
              },
            ] as const)
          : null;
      }),
    ).then((rows) => {
      const found = rows.filter((r) => r !== null);
      if (mounted.current && found.length > 0)
        setDetails((all) => ({ ...all, ...Object.fromEntries(found) }));
    });
  }, [api, key, task]);
  return details;
};
