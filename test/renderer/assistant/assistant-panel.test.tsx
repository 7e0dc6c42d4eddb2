// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AssistantPanel, simCommand } from '../../../renderer/assistant/assistant-panel';
import { createFakeApi } from '../fake-api';
import { createFakeAssistant } from '../fake-assistant';
import { renderScreen } from '../render-screen';
import { SIM } from './sim-fixture';

afterEach(cleanup);

const info = () => ({
  ok: true as const,
  value: { catalogPath: '/data/default/catalog.db' } as never,
});

const setup = (simulation: typeof SIM | null) => {
  const assistant = createFakeAssistant({ simulation });
  const fake = createFakeApi({ ...assistant.answers, 'app:info': info });
  renderScreen(<AssistantPanel datasetId={1} datasetName="busi" task="label" />, fake.api);
  const calls = (channel: string) => fake.received.filter((r) => r.channel === channel).map((r) => r.input);
  return { ...fake, calls };
};

describe('AssistantPanel', () => {
  it('without a simulation tells the command that makes one', async () => {
    setup(null);
    await waitFor(() =>
      expect(screen.getByTestId('sim-command').textContent).toBe(
        'sonofuse assist-sim --db "/data/default/catalog.db" --dataset "busi" --seeds 3',
      ),
    );
  });

  it('shows labels to 95% per strategy, its share of random, and how often the suggestion was right', async () => {
    setup(SIM);
    const table = await screen.findByTestId('sim-table');
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => c.textContent),
    );
    expect(rows).toEqual([
      ['Random order', '30 (1 seed not reached)', '100%', '0.625', '55%'],
      ['Diverse uncertainty', '15', '50%', '0.710', '75%'],
    ]);
    expect(
      screen.getByRole('img', { name: /^Test accuracy per number of labels, 2 seeds, start 10, batch 10: / }),
    ).toBeTruthy();
  });

  it("switches the suggester to the latest run's model", async () => {
    const { calls } = setup(null);
    await waitFor(() => expect(screen.getByTestId('assistant-status').textContent).toMatch(/trained on 10/));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: "Latest finished run's model" }));
    });
    expect(calls('assistant:useModel')).toEqual([{ datasetId: 1, task: 'label', source: 'run' }]);
    expect(screen.queryByTestId('source-error')).toBeNull();
  });

  it('says why the suggester cannot be switched when the assistant refuses', async () => {
    const assistant = createFakeAssistant({ simulation: null });
    assistant.answers['assistant:useModel'] = () => ({
      ok: false,
      error: {
        code: 'NOT_SUPPORTED',
        message: "suggesting with a finished run's model is not available yet",
      },
    });
    const fake = createFakeApi({ ...assistant.answers, 'app:info': info });
    renderScreen(<AssistantPanel datasetId={1} datasetName="busi" task="label" />, fake.api);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: "Latest finished run's model" }));
    });
    await waitFor(() =>
      expect(screen.getByTestId('source-error').textContent).toBe(
        "suggesting with a finished run's model is not available yet",
      ),
    );
  });
  it('names the task in the assist-sim command only when it is not the default', () => {
    expect(simCommand('/d/catalog.db', 'busi')).toBe(
      'sonofuse assist-sim --db "/d/catalog.db" --dataset "busi" --seeds 3',
    );
    expect(simCommand(null, 'busi', 'view')).toBe(
      'sonofuse assist-sim --db "<catalog.db>" --dataset "busi" --task "view" --seeds 3',
    );
  });
});
