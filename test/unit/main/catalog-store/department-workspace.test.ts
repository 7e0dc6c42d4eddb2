import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  departmentFromSwitches,
  departmentWorkspaceOf,
  DepartmentWorkspaceError,
} from '../../../../main/catalog-store/department-workspace';

const store = mkdtempSync(join(tmpdir(), 'sonofuse-dept-store-'));
const noSwitches = () => '';

describe('departmentWorkspaceOf', () => {
  it('is undefined without a URL (the local catalog) and needs a postgres:// URL and an existing store folder', () => {
    expect(departmentWorkspaceOf(undefined, store, {})).toBeUndefined();
    expect(departmentWorkspaceOf('postgres://ann@db/sonofuse', store, {})).toEqual({
      url: 'postgres://ann@db/sonofuse',
      storeDir: store,
    });
    expect(
      departmentWorkspaceOf('postgresql://ann@db/s', undefined, { SONOFUSE_STORE: store })?.storeDir,
    ).toBe(store);
    expect(() => departmentWorkspaceOf('/tmp/catalog.db', store, {})).toThrow(/postgres:\/\//);
    expect(() => departmentWorkspaceOf('postgres://ann@db/s', undefined, {})).toThrow(/--store DIR/);
    const file = join(store, 'not-a-folder');
    writeFileSync(file, '');
    expect(() => departmentWorkspaceOf('postgres://ann@db/s', file, {})).toThrow(DepartmentWorkspaceError);
  });
});

describe('departmentFromSwitches (the Electron shell)', () => {
  it('takes --db/--store switches, else SONOFUSE_DB/SONOFUSE_STORE', () => {
    const switches = (v: Record<string, string>) => (name: 'db' | 'store') => v[name] ?? '';
    expect(departmentFromSwitches(switches({ db: 'postgres://ann@db/s', store }), {})).toEqual({
      url: 'postgres://ann@db/s',
      storeDir: store,
    });
    expect(
      departmentFromSwitches(noSwitches, { SONOFUSE_DB: 'postgres://ann:pw@db/s', SONOFUSE_STORE: store }),
    ).toEqual({ url: 'postgres://ann:pw@db/s', storeDir: store });
    expect(departmentFromSwitches(noSwitches, {})).toBeUndefined();
  });

  it('refuses a password on the command line (readable by every local user), without echoing it', () => {
    const withPassword = (name: 'db' | 'store') => (name === 'db' ? 'postgres://ann:s3cr3t@db/s' : store);
    expect(() => departmentFromSwitches(withPassword, {})).toThrow(/~\/\.pgpass/);
    try {
      departmentFromSwitches(withPassword, {});
    } catch (e) {
      expect(String(e)).not.toContain('s3cr3t');
    }
    const param = (name: 'db' | 'store') => (name === 'db' ? 'postgres://ann@db/s?password=s3cr3t' : store);
    expect(() => departmentFromSwitches(param, {})).toThrow(DepartmentWorkspaceError);
  });
});
