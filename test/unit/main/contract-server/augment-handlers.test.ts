import { describe, expect, it } from 'vitest';
import type { PreviewRequest } from '../../../../main/augment/augment-preview';
import { createAugmentHandlers } from '../../../../main/contract-server/augment-handlers';
import { AugmentConfig } from '../../../../shared/augment/augment-config';

const never = (): never => {
  throw new Error('the preview does not open the catalog database');
};

describe('augment:preview handler', () => {
  it('resolves ids to catalog paths, passes config/seed/n through and returns base64 tiles', async () => {
    const seen: PreviewRequest[] = [];
    const handlers = createAugmentHandlers(
      { filePath: (id) => `/store/${id}.png`, db: () => never() },
      async (request) => {
        seen.push(request);
        return [
          {
            imageId: '7',
            index: 0,
            png: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
            width: 32,
            height: 32,
            params: { index: 0, imageSeed: 99, steps: [] },
            sector: { mask: null } as never,
          },
        ];
      },
    );
    const config = AugmentConfig.parse({ steps: [{ kind: 'hflip', p: 0.5 }] });
    const answer = await handlers['augment:preview'](
      { imageIds: [7], config, seed: 5, n: 1 },
      { transport: 'test', peer: 't' },
    );
    expect(seen[0]!.images).toEqual([{ id: '7', pixels: '/store/7.png' }]);
    expect([seen[0]!.seed, seen[0]!.n, seen[0]!.config]).toEqual([5, 1, config]);
    expect(answer.tiles).toEqual([
      {
        imageId: 7,
        index: 0,
        pngBase64: 'iVBORw==',
        width: 32,
        height: 32,
        params: { index: 0, imageSeed: 99, steps: [] },
      },
    ]);
  });
});
