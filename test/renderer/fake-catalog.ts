import type {
  CallChannel,
  CallParsedInput,
  HistoryEntry,
  ImageDetail,
  ImageFlag,
  ImageSummary,
  LabelTask,
  Result,
  TaskChange,
  ViewState,
} from '../../shared/contract/index';

type Answer = (input: unknown) => Result<unknown>;

/**
 * A small in-memory catalog behind the fake API: enough behaviour (filters, labels with history,
 * undo, notes, tasks) for the screens to be exercised end to end in jsdom. Inputs have already been
 * parsed by the real contract schemas when they get here.
 */
export const createFakeCatalog = (
  options: { images?: number; classes?: string[]; kind?: 'single' | 'multi'; userName?: string | null } = {},
) => {
  const count = options.images ?? 12;
  const classes = options.classes ?? ['benign', 'malignant', 'normal'];
  const tasks: LabelTask[] = [
    {
      id: 1,
      datasetId: 1,
      name: 'label',
      kind: options.kind ?? 'single',
      classes: classes.map((name) => ({ name, parent: null, colour: null })),
    },
  ];
  const datasets = [{ id: 1, name: 'busi', createdAt: '2026-01-01', deleted: false }];
  const settings: { userName: string | null; view: ViewState | null } = {
    userName: options.userName ?? null,
    view: null,
  };
  const labels = new Map<string, string[]>(); // `${task}:${id}`
  const notes = new Map<number, string>();
  const flags = new Map<number, ImageFlag>();
  const history: HistoryEntry[] = [];
  const taskChanges: TaskChange[] = [];
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
    labelVersion: 0,
    part: null,
    importedAt: '2026-01-01T00:00:00.000Z',
  }));
  const labelsOf = (task: string, id: number) => labels.get(`${task}:${id}`) ?? [];
  /** Label versions per `${task}:${id}` (absent: version 0), as the catalog keeps them. */
  const versions = new Map<string, { version: number; by: string; at: string }>();
  const versionOf = (task: string, id: number) =>
    versions.get(`${task}:${id}`) ?? { version: 0, by: null, at: null };
  const bump = (task: string, id: number, by: string, at = '2026-01-02T10:00:00.000Z') =>
    versions.set(`${task}:${id}`, { version: versionOf(task, id).version + 1, by, at });
  /** Another workstation labels an image (no history entry: the tests look at the conflict). */
  const writeElsewhere = (id: number, to: string[], by: string, at: string, task = 'label') => {
    labels.set(`${task}:${id}`, to);
    bump(task, id, by, at);
  };
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
  const detail = (id: number, task = 'label'): ImageDetail => {
    const row = rows[id - 1]!;
    return {
      ...row,
      labels: labelsOf(task, id),
      note: notes.get(id) ?? null,
      metadata: [{ key: 'age', type: 'number', value: 30 + id }],
      exam: null,
      source: null,
      originalPath: `/data/${row.file}`,
      referencedInPlace: true,
      history: history.filter((h) => h.imageId === id && (h.kind !== 'label' || h.task === task)),
      flag: flags.get(id) ?? null,
      labelVersion: versionOf(task, id).version,
      labelledBy: versionOf(task, id).by,
      labelledAt: versionOf(task, id).at,
    };
  };
  const ok = <T>(value: T): Result<T> => ({ ok: true, value });
  const answers: Partial<Record<CallChannel, Answer>> = {
    'catalog:datasets': () =>
      ok(datasets.filter((d) => !d.deleted).map(({ deleted: _, ...d }) => ({ ...d, images: count }))),
    'catalog:renameDataset': (input) => {
      const i = input as CallParsedInput<'catalog:renameDataset'>;
      const d = datasets.find((x) => x.id === i.datasetId && !x.deleted)!;
      if (datasets.some((x) => x.name === i.name && x !== d))
        return {
          ok: false,
          error: { code: 'CONFLICT', message: `a dataset named "${i.name}" already exists` },
        };
      d.name = i.name;
      return ok({ id: d.id, name: d.name, createdAt: d.createdAt, images: count });
    },
    'catalog:deleteDataset': (input) => {
      const i = input as CallParsedInput<'catalog:deleteDataset'>;
      const d = datasets.find((x) => x.id === i.datasetId && !x.deleted)!;
      if (d.name !== i.confirmName)
        return { ok: false, error: { code: 'CONFLICT', message: 'the name typed does not match' } };
      d.deleted = true;
      return ok({ id: d.id, name: d.name, at: '2026-01-02T10:00:00.000Z', user: i.user });
    },
    'catalog:settings': () => ok({ ...settings }),
    'catalog:setUserName': (input) => {
      settings.userName = (input as CallParsedInput<'catalog:setUserName'>).name;
      return ok({ ...settings });
    },
    'catalog:setViewState': (input) => {
      settings.view = (input as CallParsedInput<'catalog:setViewState'>).view;
      return ok({ ...settings });
    },
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
      let list = rows.map((r) => ({
        ...r,
        labels: labelsOf(q.task, r.id),
        labelVersion: versionOf(q.task, r.id).version,
      }));
      if (q.unlabeled) list = list.filter((r) => r.labels.length === 0);
      if (q.labels) list = list.filter((r) => r.labels.some((l) => q.labels!.includes(l)));
      if (q.flagged !== undefined) list = list.filter((r) => flags.has(r.id) === q.flagged);
      if (q.text) list = list.filter((r) => (notes.get(r.id) ?? '').includes(q.text!));
      if (q.ids) list = list.filter((r) => q.ids!.includes(r.id));
      return ok({ total: list.length, offset: q.offset, items: list.slice(q.offset, q.offset + q.limit) });
    },
    'catalog:image': (input) => {
      const i = input as CallParsedInput<'catalog:image'>;
      return ok(detail(i.id, i.task));
    },
    'catalog:setFlag': (input) => {
      const i = input as CallParsedInput<'catalog:setFlag'>;
      const before = flags.get(i.imageId)?.reason ?? null;
      const after = i.flagged ? i.reason.trim() || 'flagged for review' : null;
      if (before === after) return ok({ flag: flags.get(i.imageId) ?? null, batchId: null });
      batch++;
      record({
        imageId: i.imageId,
        kind: 'flag',
        task: null,
        from: before,
        to: after,
        user: i.user,
        reason: i.reason,
      });
      if (after === null) flags.delete(i.imageId);
      else flags.set(i.imageId, { reason: after, user: i.user, at: '2026-01-02T10:00:00.000Z' });
      return ok({ flag: flags.get(i.imageId) ?? null, batchId: batch });
    },
    'catalog:editTask': (input) => {
      const i = input as CallParsedInput<'catalog:editTask'>;
      const task = tasks.find((t) => t.name === i.task);
      if (!task) return { ok: false, error: { code: 'NOT_FOUND', message: `no task ${i.task}` } };
      const kept = new Set(i.classes.map((c) => c.was ?? c.name));
      for (const c of task.classes) {
        if (kept.has(c.name)) continue;
        const used = rows.filter((r) => labelsOf(task.name, r.id).includes(c.name)).length;
        if (used > 0 && !(c.name in i.reassign))
          return {
            ok: false,
            error: { code: 'CONFLICT', message: `cannot remove "${c.name}" (labels ${used} images)` },
          };
        for (const r of rows) {
          const current = labelsOf(task.name, r.id);
          if (!current.includes(c.name)) continue;
          const target = i.reassign[c.name];
          labels.set(`${task.name}:${r.id}`, [
            ...current.filter((l) => l !== c.name),
            ...(target ? [target] : []),
          ]);
        }
      }
      for (const c of i.classes)
        if (c.was && c.was !== c.name)
          for (const r of rows)
            labels.set(
              `${task.name}:${r.id}`,
              labelsOf(task.name, r.id).map((l) => (l === c.was ? c.name : l)),
            );
      taskChanges.unshift({
        id: taskChanges.length + 1,
        task: task.name,
        from: task.classes,
        to: i.classes.map((c) => ({ name: c.name, parent: c.parent, colour: c.colour })),
        user: i.user,
        reason: i.reason,
        at: '2026-01-02T10:00:00.000Z',
      });
      task.classes = taskChanges[0]!.to;
      return ok(task);
    },
    'catalog:taskHistory': () => ok(taskChanges),
    'catalog:setLabels': (input) => {
      const i = input as CallParsedInput<'catalog:setLabels'>;
      const seen = versionOf(i.task, i.imageId);
      const same = labelsOf(i.task, i.imageId).join('\u0000') === i.labels.join('\u0000');
      if (i.baseVersion !== undefined && i.baseVersion !== seen.version && !same)
        return {
          ok: false,
          error: {
            code: 'CONFLICT',
            message: `image ${i.imageId} was labelled by ${seen.by} since you saw it`,
            conflicts: [{ imageId: i.imageId, task: i.task, labels: labelsOf(i.task, i.imageId), ...seen }],
          },
        };
      batch++;
      bump(i.task, i.imageId, i.user);
      record({
        imageId: i.imageId,
        kind: 'label',
        task: i.task,
        from: labelsOf(i.task, i.imageId),
        to: i.labels,
        user: i.user,
        reason: i.reason,
        suggestion: i.suggestion ?? null,
      });
      labels.set(`${i.task}:${i.imageId}`, i.labels);
      return ok({ labels: i.labels, batchId: batch, version: versionOf(i.task, i.imageId).version });
    },
    'catalog:bulkRelabel': (input) => {
      const i = input as CallParsedInput<'catalog:bulkRelabel'>;
      const stale = (i.baseVersions ?? []).filter(
        (b) =>
          b.version !== versionOf(i.task, b.imageId).version &&
          labelsOf(i.task, b.imageId).join('\u0000') !== i.to.join('\u0000'),
      );
      if (stale.length > 0)
        return {
          ok: false,
          error: {
            code: 'CONFLICT',
            message: `image ${stale[0]!.imageId} was labelled by ${versionOf(i.task, stale[0]!.imageId).by} since you saw it`,
            conflicts: stale.map((b) => ({
              imageId: b.imageId,
              task: i.task,
              labels: labelsOf(i.task, b.imageId),
              ...versionOf(i.task, b.imageId),
            })),
          },
        };
      batch++;
      for (const id of i.imageIds ?? []) {
        bump(i.task, id, i.user);
        record({
          imageId: id,
          kind: 'label',
          task: i.task,
          from: labelsOf(i.task, id),
          to: i.to,
          user: i.user,
          reason: i.reason,
          suggestion: ((s) => (s ? { modelId: s.modelId, p: s.p } : null))(
            i.suggestions?.find((x) => x.imageId === id),
          ),
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
    'catalog:undo': (input) => {
      const only = (input as CallParsedInput<'catalog:undo'>).batchId;
      const last = [...history]
        .reverse()
        .find(
          (h) =>
            h.origin === 'edit' &&
            (only === undefined || h.batchId === only) &&
            !history.some((u) => u.undoesBatch === h.batchId),
        );
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
          task.classes.push({ name: c.name, parent: c.parent, colour: c.colour });
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
        catalogPath: '/home/sonographer/.local/share/sonofuse/default/catalog.db',
        workspace: 'default',
        nativeDialogs: false,
      }),
    'app:chooseFiles': () => ({
      ok: false,
      error: { code: 'NOT_SUPPORTED', message: 'This shell has no native file dialog.' },
    }),
    'jobs:list': () => ok([]),
    // Labeling batches: none assigned (label-batches.test.tsx fakes its own).
    'catalog:labelJobs': () => ok([]),
    'catalog:labelJobQueue': () => ok([]),
  };
  return {
    answers,
    labelsOf,
    versionOf,
    writeElsewhere,
    notes,
    flags,
    history,
    rows,
    tasks,
    taskChanges,
    datasets,
    settings,
  };
};
