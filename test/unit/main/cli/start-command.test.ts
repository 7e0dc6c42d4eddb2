import { describe, expect, it } from 'vitest';
import { electronDepartmentEnv } from '../../../../main/cli/commands/start-command';

describe('sonofuse start --db in the desktop app', () => {
  it('hands the department workspace to Electron in its environment (what electron-main reads), nothing without one', () => {
    expect(electronDepartmentEnv({ url: 'postgres://ann:pw@db/s', storeDir: '/mnt/store' })).toEqual({
      SONOFUSE_DB: 'postgres://ann:pw@db/s',
      SONOFUSE_STORE: '/mnt/store',
    });
    expect(electronDepartmentEnv(undefined)).toEqual({});
  });
});
