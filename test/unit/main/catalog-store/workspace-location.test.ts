import { describe, expect, it } from 'vitest';
import { isPostgresUrl, redactSecrets, redactUrl } from '../../../../main/catalog-store/workspace-location';

describe('workspace locations', () => {
  it('tells a connection URL from a catalog file', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl(' POSTGRESQL://h/db')).toBe(true);
    expect(isPostgresUrl('/home/a/postgres://x.db')).toBe(false);
    expect(isPostgresUrl('catalog.db')).toBe(false);
  });

  it('redacts the password in the userinfo and in parameters, keeping the rest', () => {
    expect(redactUrl('postgresql://ann:pa%40ss@db.hospital.local:5432/sonofuse?sslmode=verify-full')).toBe(
      'postgresql://ann:***@db.hospital.local:5432/sonofuse?sslmode=verify-full',
    );
    expect(redactUrl('postgres://db/sonofuse?user=ann&password=pw1')).toBe(
      'postgres://db/sonofuse?user=ann&password=***',
    );
    expect(redactUrl('postgres://ann@db/sonofuse')).toBe('postgres://ann@db/sonofuse');
    expect(redactUrl('/data/catalog.db')).toBe('/data/catalog.db');
  });

  it('removes every secret from free text', () => {
    const url = 'postgres://ann:pa%40ss@db/x';
    expect(redactSecrets(`connect ${url} failed: bad pa@ss`, url)).toBe(
      'connect postgres://ann:***@db/x failed: bad ***',
    );
  });
});
