// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallParsedInput } from '../../../shared/contract/index';
import { AugmentScreen } from '../../../renderer/augment/augment-screen';
import { describeDrawn } from '../../../renderer/augment/drawn-params';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

describe('AugmentScreen', () => {
  it('previews the focused images with the preset, re-draws when a parameter changes and on "New draw"', async () => {
    const catalog = createFakeCatalog({ images: 6 });
    const fake = createFakeApi({
      ...catalog.answers,
      'augment:preview': (input) => {
        const { imageIds, n, seed } = input as CallParsedInput<'augment:preview'>;
        return {
          ok: true,
          value: {
            tiles: imageIds.flatMap((imageId) =>
              Array.from({ length: n }, (_, index) => ({
                imageId,
                index,
                pngBase64: 'iVBORw0KGgo=',
                width: 224,
                height: 224,
                params: {
                  index,
                  imageSeed: seed + index,
                  steps: [{ kind: 'rotation' as const, applied: true, values: { angle: 3.14159 } }],
                },
              })),
            ),
          },
        };
      },
    });
    renderScreen(<AugmentScreen />, fake.api);
    const previews = () =>
      fake.received
        .filter((r) => r.channel === 'augment:preview')
        .map((r) => r.input as CallParsedInput<'augment:preview'>);
    await waitFor(() => expect(previews()).toHaveLength(1), { timeout: 3000 });
    expect(previews()[0]).toMatchObject({ imageIds: [1, 2, 3, 4], seed: 42, n: 6 });
    expect(await screen.findAllByTestId('tile-params')).toHaveLength(24);
    expect(screen.getAllByTestId('tile-params')[0]!.textContent).toBe('rotation angle 3.14');
    expect(screen.getByRole('img', { name: 'Image 1, rendering 1' }).getAttribute('src')).toBe(
      'data:image/png;base64,iVBORw0KGgo=',
    );

    const rotation = previews()[0]!.config.steps.findIndex((s) => s.kind === 'rotation');
    expect(rotation).toBeGreaterThanOrEqual(0);
    fireEvent.change(screen.getByRole('spinbutton', { name: 'degrees' }), { target: { value: '25' } });
    await waitFor(() => expect(previews()).toHaveLength(2), { timeout: 3000 });
    expect(previews()[1]!.config.steps[rotation]).toMatchObject({ kind: 'rotation', degrees: 25 });

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'New draw' }));
    });
    await waitFor(() => expect(previews()).toHaveLength(3), { timeout: 3000 });
    expect(previews()[2]!.seed).toBe(43);
  });

  it('shows an invalid parameter instead of sending it', async () => {
    const catalog = createFakeCatalog({ images: 2 });
    const fake = createFakeApi({
      ...catalog.answers,
      'augment:preview': () => ({ ok: false, error: { code: 'INTERNAL', message: 'x' } }),
    });
    renderScreen(<AugmentScreen />, fake.api);
    const [min, max] = (await screen.findByRole('group', { name: 'brightness range' })).querySelectorAll(
      'input',
    );
    fireEvent.change(min!, { target: { value: '2' } });
    fireEvent.change(max!, { target: { value: '1' } });
    expect((await screen.findAllByRole('alert')).map((a) => a.textContent).join(' ')).toMatch(
      /min must not exceed max/,
    );
  });

  it('describes drawn parameters of applied steps only', () => {
    expect(
      describeDrawn({
        index: 0,
        imageSeed: 1,
        steps: [
          { kind: 'hflip', applied: true, values: {} },
          { kind: 'vflip', applied: false, values: {} },
          { kind: 'crop', applied: true, values: { x: 12, y: [4, 5.5] } },
        ],
      }),
    ).toBe('hflip · crop x 12 y 4.00/5.50');
  });
});
