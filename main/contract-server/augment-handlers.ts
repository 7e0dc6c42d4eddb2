import type { PreviewRequest, PreviewTile as RenderedTile } from '../augment/augment-preview';
import { createCatalogAugmentations, type CatalogAugmentations } from '../catalog/catalog-augmentations';
import type { CatalogDb } from '../catalog/catalog-db';
import type { Handlers } from './dispatcher';

type Render = (request: PreviewRequest) => Promise<RenderedTile[]>;

/** The augmentation pipeline is loaded on first use: tfjs stays out of the app's start-up. */
const loadRender: Render = async (request) =>
  (await import('../augment/augment-preview')).renderAugmentationPreview(request);

/**
 * `augment:preview`: resolves catalog ids to their files (the catalog's paths, never the caller's)
 * and renders them with the trainer's own pipeline and seed derivation. `augment:datasetConfig` /
 * `augment:saveDatasetConfig`: the dataset's versioned config (catalog-augmentations.ts), the one
 * `run:start` trains with.
 */
export const createAugmentHandlers = (
  catalog: { filePath(id: number): string; db(): CatalogDb },
  render: Render = loadRender,
): Pick<Handlers, 'augment:preview' | 'augment:datasetConfig' | 'augment:saveDatasetConfig'> => {
  let stored: CatalogAugmentations | null = null;
  // The catalog opens its database on first use: so does this.
  const augmentations = () => (stored ??= createCatalogAugmentations(catalog.db()));
  return {
    'augment:datasetConfig': ({ datasetId }) => augmentations().current(datasetId),
    'augment:saveDatasetConfig': (input) => augmentations().save(input),
    'augment:preview': async ({ imageIds, config, seed, n }) => {
      const tiles = await render({
        images: imageIds.map((id) => ({ id: String(id), pixels: catalog.filePath(id) })),
        config,
        seed,
        n,
      });
      return {
        tiles: tiles.map((t) => ({
          imageId: Number(t.imageId),
          index: t.index,
          pngBase64: t.png.toString('base64'),
          width: t.width,
          height: t.height,
          params: t.params,
        })),
      };
    },
  };
};
