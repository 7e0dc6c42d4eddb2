// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallParsedInput } from '../../../shared/contract/index';
import { buildPreset } from '../../../shared/augment/augment-presets';
import type { DatasetAugmentation } from '../../../shared/augment/dataset-augmentation';
import { AugmentScreen } from '../../../renderer/augment/augment-screen';
import { captionDrawn, describeDrawn } from '../../../renderer/augment/drawn-params';
import { createFakeApi } from '../fake-api';
import { createFakeCatalog } from '../fake-catalog';
import { renderScreen } from '../render-screen';

afterEach(cleanup);

/** The dataset's stored augmentation behind a fake `augment:*` pair that versions each save. */
const storedAugmentation = (first: DatasetAugmentation) => {
  let current = first;
  const saves: CallParsedInput<'augment:saveDatasetConfig'>[] = [];
  return {
    saves,
    answers: {
      'augment:datasetConfig': () => ({ ok: true as const, value: current }),
      'augment:saveDatasetConfig': (input: unknown) => {
        const i = input as CallParsedInput<'augment:saveDatasetConfig'>;
        saves.push(i);
        current = {
          ...current,
          version: current.version + 1,
          preset: i.preset,
          config: i.config,
          savedBy: i.user,
          savedAt: 'now',
        };
        return { ok: true as const, value: current };
      },
    },
  };
};
const paperDefault: DatasetAugmentation = {
  datasetId: 1,
  version: 0,
  preset: 'paper',
  config: buildPreset('paper'),
  savedAt: null,
  savedBy: null,
};

describe('AugmentScreen', () => {
  it('previews the focused images with the preset, re-draws when a parameter changes and on "New draw"', async () => {
    const catalog = createFakeCatalog({ images: 6 });
    const fake = createFakeApi({
      ...catalog.answers,
      ...storedAugmentation(paperDefault).answers,
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
                  steps: [{ kind: 'rotation' as const, applied: true, values: { degrees: 3.14159 } }],
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
    expect(screen.getAllByTestId('tile-params')[0]!.textContent).toBe('rotation degrees 3.14');
    expect(screen.getAllByTestId('tile-caption')[0]!.textContent).toBe('rotated +3.1°');
    // The source image heads each image's row.
    expect(screen.getByRole('img', { name: 'Image 1, source' }).getAttribute('src')).toMatch(
      /^media\/thumb\/1\b/,
    );
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
      ...storedAugmentation({
        ...paperDefault,
        preset: 'ultrasound-default',
        config: buildPreset('ultrasound-default'),
        version: 1,
      }).answers,
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

  it("opens on the dataset's saved config, names the dataset, and saves edits as the dataset's next version", async () => {
    const catalog = createFakeCatalog({ images: 3 });
    const us = buildPreset('ultrasound-default');
    const stored = storedAugmentation({
      ...paperDefault,
      version: 2,
      preset: 'ultrasound-default',
      config: us,
    });
    const fake = createFakeApi({
      ...catalog.answers,
      ...stored.answers,
      'augment:preview': () => ({ ok: true, value: { tiles: [] } }),
    });
    renderScreen(<AugmentScreen />, fake.api);
    // The heading names the dataset once its list has arrived (the first render shows the bare title).
    const heading = await screen.findByRole('heading', { name: /Augmentation/ });
    await waitFor(() => expect(heading.textContent).toBe('Augmentation · busi'));
    await waitFor(() =>
      expect(screen.getByTestId('trains-with').textContent).toBe(
        'Runs on this dataset train with: Ultrasound default · version 2',
      ),
    );
    await waitFor(
      () => {
        const sent = fake.received.filter((r) => r.channel === 'augment:preview');
        expect((sent.at(-1)?.input as CallParsedInput<'augment:preview'>).config).toEqual(us);
      },
      { timeout: 3000 },
    );
    const save = screen.getByRole('button', { name: 'Save for busi' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true); // nothing to save yet
    fireEvent.change(screen.getByRole('spinbutton', { name: 'degrees' }), { target: { value: '4' } });
    expect(screen.getByText(/Unsaved: runs still train with version 2/)).toBeTruthy();
    await act(async () => {
      fireEvent.click(save);
    });
    expect(stored.saves).toHaveLength(1);
    expect(stored.saves[0]).toMatchObject({ datasetId: 1, preset: 'ultrasound-default', user: 'alice' });
    expect(stored.saves[0]!.config.steps.find((s) => s.kind === 'rotation')).toMatchObject({ degrees: 4 });
    await waitFor(() =>
      expect(screen.getByTestId('trains-with').textContent).toBe(
        'Runs on this dataset train with: Ultrasound default (edited) · version 3',
      ),
    );
  });

  it('captions a rendering in words', () => {
    expect(
      captionDrawn({
        index: 0,
        imageSeed: 1,
        steps: [
          { kind: 'rotation', applied: true, values: { degrees: -4.91, cx: 1, cy: 1 } },
          {
            kind: 'resized-crop',
            applied: true,
            values: { x: 1, y: 1, w: 9, h: 9, area: 0.5, sectorShare: 0.78 },
          },
          { kind: 'brightness', applied: true, values: { factor: 1.123 } },
          { kind: 'hflip', applied: false, values: {} },
          { kind: 'depth-gain', applied: true, values: { slopeDb: 2.04 } },
        ],
      }),
    ).toBe('rotated −4.9°, cropped to 78% of the sector, gain ×1.12, depth gain +2.0 dB');
    expect(
      captionDrawn({
        index: 0,
        imageSeed: 1,
        steps: [{ kind: 'crop', applied: true, values: { area: 0.84 } }],
      }),
    ).toBe('cropped to 84%');
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
