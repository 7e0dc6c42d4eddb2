import type {
  CallChannel,
  CallParsedInput,
  HistoryEntry,
  ImageDetail,
  ImageSummary,
  LabelTask,
  Result,
} from '../../shared/contract/index';

type Answer = (input: unknown) => Result<unknown>;

/**
 * A small in-memory catalog behind the fake API: enough behaviour (filters, labels with history,
 * undo, notes, tasks) for the screens to be exercised end to end in jsdom. Inputs have already been
 * parsed by the real contract schemas when they get here.
 */
export const createFakeCatalog = (
  options: { images?: number; classes?: string[]; kind?: 'single' | 'multi' } = {},
) => {
  const count = options.images ?? 12;
  const classes = options.classes ?? ['benign', 'malignant', 'normal'];
  const tasks: LabelTask[] = [
    {
      id: 1,
      datasetId: 1,
      name: 'label',
      kind: options.kind ?? 'single',
      classes: classes.map((name) => ({ name, parent: null })),
    },
  ];
  const labels = new Map<string, string[]>(); // `${task}:${id}`
  const notes = new Map<number, string>();
  const history: HistoryEntry[] = [];
  let batch = 0;
  const rows: ImageSummary[] = Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    datasetId: 1,
    file: `img-${String(i + 1).padStart(3, '0')}.png`,
    format: 'png',
    sourceFormat: 'png',
    width: 256,
    height: 256,
    frame: 0,
    sha256: 'a'.repeat(64),
    labels: [],
    patient: `p${Math.floor(i / 2)}`,
    notePreview: null,
    part: null,
    importedAt: '2026-01-01T00:00:00.000Z',
  }));
  const labelsOf = (task: string, id: number) => labels.get(`${task}:${id}`) ?? [];
  const record = (
    entry: Omit<HistoryEntry, 'id' | 'batchId' | 'at' | 'origin' | 'undoesBatch'>,
    origin: HistoryEntry['origin'] = 'edit',
    undoes: number | null = null,
  ) => {
    history.push({
      ...entry,
      id: history.length + 1,
      batchId: batch,
      at: '2026-01-02T10:00:00.000Z',
      origin,
      undoesBatch: undoes,
    });
  };
  const detail = (id: number): ImageDetail => {
    const row = rows[id - 1]!;
    return {
      ...row,
      labels: labelsOf('label', id),
      note: notes.get(id) ?? null,
      metadata: [{ key: 'age', type: 'number', value: 30 + id }],
      exam: null,
      source: null,
      originalPath: `/data/${row.file}`,
      referencedInPlace: true,
      history: history.filter((h) => h.imageId === id),
    };
  };
  const ok = <T>(value: T): Result<T> => ({ ok: true, value });
  const answers: Partial<Record<CallChannel, Answer>> = {
    'catalog:datasets': () => ok([{ id: 1, name: 'busi', createdAt: '2026-01-01', images: count }]),
    'catalog:tasks': () => ok(tasks),
    'catalog:splits': () => ok([]),
    'catalog:stats': (input) => {
      const { task } = input as CallParsedInput<'catalog:stats'>;
      const counts = new Map<string, number>();
      let unlabeled = 0;
      for (const r of rows) {
        const l = labelsOf(task, r.id);
        if (l.length === 0) unlabeled++;
        for (const c of l) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      return ok([
        {
          id: 1,
          name: 'busi',
          images: count,
          unlabeled,
          labels: [...counts].map(([label, n]) => ({ label, count: n })),
          splits: [],
        },
      ]);
    },
    'catalog:images': (input) => {
      const q = input as CallParsedInput<'catalog:images'>;
      let list = rows.map((r) => ({ ...r, labels: labelsOf(q.task, r.id) }));
      if (q.unlabeled) list = list.filter((r) => r.labels.length === 0);
      if (q.labels) list = list.filter((r) => r.labels.some((l) => q.labels!.includes(l)));
      if (q.text) list = list.filter((r) => (notes.get(r.id) ?? '').includes(q.text!));
      return ok({ total: list.length, offset: q.offset, items: list.slice(q.offset, q.offset + q.limit) });
    },
    'catalog:image': (input) => ok(detail((input as { id: number }).id)),
    'catalog:setLabels': (input) => {
      const i = input as CallParsedInput<'catalog:setLabels'>;
      batch++;
      record({
        imageId: i.imageId,
        kind: 'label',
        task: i.task,
        from: labelsOf(i.task, i.imageId),
        to: i.labels,
        user: i.user,
        reason: i.reason,
      });
      labels.set(`${i.task}:${i.imageId}`, i.labels);
      return ok({ labels: i.labels, batchId: batch });
    },
    'catalog:bulkRelabel': (input) => {
      const i = input as CallParsedInput<'catalog:bulkRelabel'>;
      batch++;
      for (const id of i.imageIds ?? []) {
        record({
          imageId: id,
          kind: 'label',
          task: i.task,
          from: labelsOf(i.task, id),
          to: i.to,
          user: i.user,
          reason: i.reason,
        });
        labels.set(`${i.task}:${id}`, i.to);
      }
      return ok({ changed: i.imageIds?.length ?? 0, batchId: batch });
    },
    'catalog:setNote': (input) => {
      const i = input as CallParsedInput<'catalog:setNote'>;
      batch++;
      record({
        imageId: i.imageId,
        kind: 'note',
        task: null,
        from: notes.get(i.imageId) ?? null,
        to: i.text,
        user: i.user,
        reason: i.reason,
      });
      notes.set(i.imageId, i.text);
      return ok({ batchId: batch });
    },
    'catalog:undo': () => {
      const last = [...history]
        .reverse()
        .find((h) => h.origin === 'edit' && !history.some((u) => u.undoesBatch === h.batchId));
      if (!last) return ok({ batchId: null, undone: 0 });
      const entries = history.filter((h) => h.batchId === last.batchId);
      const undone = last.batchId;
      batch++;
      for (const e of entries) {
        if (e.kind === 'label') labels.set(`${e.task}:${e.imageId}`, (e.from as string[]) ?? []);
        else if (e.from === null) notes.delete(e.imageId);
        else notes.set(e.imageId, e.from as string);
        record(
          {
            imageId: e.imageId,
            kind: e.kind,
            task: e.task,
            from: e.to,
            to: e.from,
            user: e.user,
            reason: 'undo',
          },
          'undo',
          undone,
        );
      }
      return ok({ batchId: batch, undone: entries.length });
    },
    'catalog:defineTask': (input) => {
      const i = input as CallParsedInput<'catalog:defineTask'>;
      let task = tasks.find((t) => t.name === i.name);
      if (!task) {
        task = { id: tasks.length + 1, datasetId: i.datasetId, name: i.name, kind: i.kind, classes: [] };
        tasks.push(task);
      }
      for (const c of i.classes)
        if (!task.classes.some((x) => x.name === c.name))
          task.classes.push({ name: c.name, parent: c.parent });
      return ok(task);
    },
    'app:info': () =>
      ok({
        name: 'SonoFuse',
        version: '0.1.0',
        shell: 'browser-host',
        platform: 'linux',
        arch: 'x64',
        nodeVersion: '20',
        electronVersion: null,
        backends: [{ name: 'wasm', available: true, detail: '', version: '4.22.0' }],
      }),
    'jobs:list': () => ok([]),
  };
  return { answers, labelsOf, notes, history, rows, tasks };
};
