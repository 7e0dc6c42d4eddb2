import { beforeEach, describe, expect, it } from 'vitest';
import type { CatalogService } from '../../../../main/catalog/catalog-service';
import { EditedClass } from '../../../../shared/contract/catalog';
import { AppError } from '../../../../shared/contract/result';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

/** 5 images: a/1-2 labelled "a", b/3-5 labelled "b"; the task "label" has classes a, b. */
const setup = async () => {
  const root = tempDir('sonofuse-task-edits-');
  for (let i = 1; i <= 5; i++)
    writeFile(root, `${i <= 2 ? 'a' : 'b'}/${i}.png`, await makeImage(6, 6, 800 + i));
  const { catalog } = freshCatalog();
  const report = await catalog.import(importOptions({ source: root, dataset: 't', thumbnails: false }));
  const ids = catalog
    .images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 })
    .items.map((i) => i.id);
  return { catalog, datasetId: report.datasetId, ids };
};

const classes = (...list: Array<Partial<EditedClass> & { name: string }>) =>
  list.map((c) => EditedClass.parse(c));
const labelsOf = (catalog: CatalogService, ids: number[]) => ids.map((id) => catalog.image(id).labels);

describe('task edits', () => {
  let catalog: CatalogService;
  let datasetId: number;
  let ids: number[];
  beforeEach(async () => {
    ({ catalog, datasetId, ids } = await setup());
  });

  const edit = (list: EditedClass[], reassign: Record<string, string | null> = {}, reason = '') =>
    catalog.editTask({ datasetId, task: 'label', classes: list, reassign, user: 'ana', reason });

  it('renames, reorders, recolours and adds classes; labels follow the rename', () => {
    const task = edit(
      classes(
        { name: 'cyst' },
        { name: 'benign', was: 'a', colour: '#00FF00' },
        { name: 'b', colour: '#112233' },
      ),
    );
    expect(task.classes).toEqual([
      { name: 'cyst', parent: null, colour: null },
      { name: 'benign', parent: null, colour: '#00ff00' },
      { name: 'b', parent: null, colour: '#112233' },
    ]);
    expect(labelsOf(catalog, ids)).toEqual([['benign'], ['benign'], ['b'], ['b'], ['b']]);
    expect(
      catalog.images({
        task: 'label',
        labels: ['benign'],
        sort: { by: 'id', dir: 'asc' },
        offset: 0,
        limit: 10,
      }).total,
    ).toBe(2);
  });

  it('swaps two names without tripping the unique name constraint', () => {
    edit(classes({ name: 'b', was: 'a' }, { name: 'a', was: 'b' }));
    expect(labelsOf(catalog, ids)).toEqual([['b'], ['b'], ['a'], ['a'], ['a']]);
  });

  it('refuses to drop a class that still labels images, with a CONFLICT that says how many', () => {
    let error: unknown;
    try {
      edit(classes({ name: 'a' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFLICT');
    expect((error as AppError).message).toMatch(/"b" \(labels 3 images\)/);
    // Nothing changed.
    expect(catalog.tasks(datasetId)[0]!.classes.map((c) => c.name)).toEqual(['a', 'b']);
    expect(catalog.taskHistory(datasetId, 'label')).toEqual([]);
  });

  it('removes a class by reassigning its labels, as one undoable history batch', () => {
    const task = edit(classes({ name: 'a' }), { b: 'a' }, 'merge b into a');
    expect(task.classes.map((c) => c.name)).toEqual(['a']);
    expect(labelsOf(catalog, ids)).toEqual([['a'], ['a'], ['a'], ['a'], ['a']]);
    const [moved] = catalog.history(ids[4]!, 1);
    expect(moved).toMatchObject({
      kind: 'label',
      from: ['b'],
      to: ['a'],
      user: 'ana',
      reason: 'merge b into a',
    });
    expect(catalog.undo('ana')).toMatchObject({ undone: 3 });
    expect(labelsOf(catalog, ids)).toEqual([['a'], ['a'], ['b'], ['b'], ['b']]);
  });

  it('removes a class by clearing its labels when reassigned to null; unused classes go freely', () => {
    edit(classes({ name: 'a' }, { name: 'b' }, { name: 'spare' }));
    edit(classes({ name: 'a' }, { name: 'b' })); // "spare" labels nothing
    edit(classes({ name: 'b' }), { a: null });
    expect(labelsOf(catalog, ids)).toEqual([[], [], ['b'], ['b'], ['b']]);
    expect(
      catalog.images({ task: 'label', unlabeled: true, sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 10 })
        .total,
    ).toBe(2);
  });

  it('checks the new list: duplicates, unknown renames, parents and reassign targets', () => {
    expect(() => edit(classes({ name: 'a' }, { name: 'a' }))).toThrow(/listed twice/);
    expect(() => edit(classes({ name: 'x', was: 'nope' }, { name: 'b' }))).toThrow(/no class "nope"/);
    expect(() => edit(classes({ name: 'a', parent: 'ghost' }, { name: 'b' }))).toThrow(/parent "ghost"/);
    expect(() => edit(classes({ name: 'a' }), { b: 'ghost' })).toThrow(/reassign target "ghost"/);
    expect(() =>
      catalog.editTask({
        datasetId,
        task: 'nope',
        classes: classes({ name: 'a' }),
        reassign: {},
        user: 'u',
        reason: '',
      }),
    ).toThrow(/no label task/);
  });

  it('keeps a hierarchy and logs every edit with the class lists before and after', () => {
    edit(classes({ name: 'a' }, { name: 'b' }, { name: 'b-small', parent: 'b' }), {}, 'split b');
    edit(classes({ name: 'a', colour: '#abcdef' }, { name: 'b' }, { name: 'b-small', parent: 'b' }));
    const log = catalog.taskHistory(datasetId, 'label');
    expect(log).toHaveLength(2);
    expect(log[1]).toMatchObject({
      task: 'label',
      user: 'ana',
      reason: 'split b',
      from: [
        { name: 'a', parent: null, colour: null },
        { name: 'b', parent: null, colour: null },
      ],
      to: [
        { name: 'a', parent: null, colour: null },
        { name: 'b', parent: null, colour: null },
        { name: 'b-small', parent: 'b', colour: null },
      ],
    });
    expect(log[0]!.to[0]).toEqual({ name: 'a', parent: null, colour: '#abcdef' });
  });

  it('stores colours given to defineTask', () => {
    const task = catalog.defineTask({
      datasetId,
      name: 'plane',
      kind: 'single',
      classes: [{ name: 'brain', parent: null, colour: '#123456' }],
    });
    expect(task.classes).toEqual([{ name: 'brain', parent: null, colour: '#123456' }]);
  });
});
