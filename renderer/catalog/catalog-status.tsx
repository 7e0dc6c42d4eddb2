import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { shortenCatalogLocation } from '../components/short-path';
import { useCall } from '../use-call';
import { useDatasets } from './catalog-data';
import { useWorkspace } from './workspace';

/** The backend the trainer will use: the first available in the contract's preference order. */
export const backendInUse = (info: AppInfo): string => {
  const usable = info.backends.filter((b) => b.available && b.name !== 'electron');
  if (usable.length === 0) return 'none';
  // webgpu's package can be present without a GPU adapter: the trainer only knows when it starts,
  // and then falls back to the next backend.
  return usable[0]!.name === 'webgpu' && usable[1]
    ? `webgpu if a GPU adapter exists, else ${usable[1].name}`
    : usable[0]!.name;
};

/**
 * Status-bar facts about the catalog: the current dataset with its image count, the catalog's
 * total, which catalog file (and workspace) is open, and the compute backend in use. Counts
 * follow catalog:onChanged.
 */
export const CatalogStatus = () => {
  const api = useApi();
  const ws = useWorkspace();
  const [datasets, reload] = useDatasets();
  const [info] = useCall(() => api.app.info({}));
  const [, setTick] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.catalog.onChanged((c) => {
      if (c.kind !== 'import') return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        reload();
        setTick((t) => t + 1);
      }, 500);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [api, reload]);
  const list = datasets.status === 'ok' ? datasets.value : [];
  const current = list.find((d) => d.id === ws.datasetId);
  const total = list.reduce((n, d) => n + d.images, 0);
  return (
    <>
      <span data-testid="status-catalog">
        {datasets.status === 'error'
          ? `Catalog unavailable (${datasets.error.code})`
          : current
            ? `${current.name}: ${current.images.toLocaleString('en')} images · catalog ${total.toLocaleString('en')} in ${list.length} dataset${list.length === 1 ? '' : 's'}`
            : `Catalog: ${total.toLocaleString('en')} images`}
      </span>
      {info.status === 'ok' && info.value.catalogPath ? (
        <span
          data-testid="status-catalog-path"
          className="status-path"
          title={`Catalog database: ${info.value.catalogPath}`}
        >
          {info.value.workspace ? `${info.value.workspace} · ` : ''}
          {shortenCatalogLocation(info.value.catalogPath)}
        </span>
      ) : null}
      <span data-testid="status-backend">
        Backend: {info.status === 'ok' ? backendInUse(info.value) : '…'}
      </span>
    </>
  );
};
