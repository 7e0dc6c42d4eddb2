// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallParsedInput, LabelJob, Result } from '../../../shared/contract/index';
import { ApiProvider } from '../../../renderer/api-context';
import { createBatchQueue, LabelBatches } from '../../../renderer/labeling/label-batches';
import { createFakeApi } from '../fake-api';

afterEach(cleanup);

/** Batches kept in memory: the answers of catalog:createLabelJob / labelJobs / labelJobQueue. */
const fakeJobs = () => {
  const jobs: LabelJob[] = [];
  const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
  return {
    jobs,
    answers: {
      'catalog:createLabelJob': (input: unknown) => {
        const i = input as CallParsedInput<'catalog:createLabelJob'>;
        const job: LabelJob = {
          id: jobs.length + 1,
          datasetId: i.datasetId,
          task: i.task,
          assignee: i.assignee,
          createdBy: i.user,
          createdAt: '2026-12-04T10:00:00.000Z',
          images: i.size,
          labelled: 0,
        };
        jobs.unshift(job);
        return ok(job);
      },
      'catalog:labelJobs': (input: unknown) => {
        const i = input as CallParsedInput<'catalog:labelJobs'>;
        return ok(jobs.filter((j) => !i.assignee || j.assignee === i.assignee));
      },
      'catalog:labelJobQueue': () => ok([7, 8, 9]),
    },
  };
};

describe('LabelBatches', () => {
  it('lists my batches with progress, assigns a new one, and picks one for the queue', async () => {
    const f = fakeJobs();
    f.jobs.push({
      id: 1,
      datasetId: 1,
      task: 'label',
      assignee: 'alice',
      createdBy: 'lead',
      createdAt: 'x',
      images: 50,
      labelled: 12,
    });
    f.jobs.push({
      id: 2,
      datasetId: 1,
      task: 'label',
      assignee: 'bob',
      createdBy: 'lead',
      createdAt: 'x',
      images: 50,
      labelled: 0,
    });
    const fake = createFakeApi(f.answers);
    const onPick = vi.fn();
    render(
      <ApiProvider value={fake.api}>
        <LabelBatches datasetId={1} task="label" user="alice" activeId={null} onPick={onPick} />
      </ApiProvider>,
    );
    await waitFor(() => expect(screen.getByText('Batch 1: 12 / 50 labelled')).toBeTruthy());
    expect(screen.queryByText(/Batch 2/)).toBeNull(); // bob's

    fireEvent.change(screen.getByLabelText('Images'), { target: { value: '20' } });
    fireEvent.click(screen.getByRole('button', { name: 'Assign batch' }));
    await waitFor(() => expect(screen.getByText('Batch 3: 0 / 20 labelled')).toBeTruthy());
    expect(fake.received.find((r) => r.channel === 'catalog:createLabelJob')?.input).toEqual({
      datasetId: 1,
      task: 'label',
      assignee: 'alice',
      size: 20,
      user: 'alice',
    });

    fireEvent.click(screen.getByRole('radio', { name: 'Batch 1: 12 / 50 labelled' }));
    expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ id: 1 }));
  });

  it("the batch queue gives the batch's next unlabeled image not excluded", async () => {
    const fake = createFakeApi(fakeJobs().answers);
    const queue = createBatchQueue(fake.api, 1);
    expect(await queue.next(new Set([7]))).toBe(8);
    expect(await queue.next(new Set([7, 8, 9]))).toBeNull();
  });
});
