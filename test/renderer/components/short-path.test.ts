import { describe, expect, it } from 'vitest';
import { shortenCatalogLocation, shortenPath } from '../../../renderer/components/short-path';

describe('shortenPath', () => {
  it('keeps short paths whole', () => {
    expect(shortenPath('/data/catalog.db')).toBe('/data/catalog.db');
  });

  it('keeps as many trailing folders as fit, with an ellipsis in front', () => {
    const path = '/home/sonographer/.local/share/sonofuse/default/catalog.db';
    // 35 characters; one more folder (".local/") would make 42, over the 40 limit.
    expect(shortenPath(path)).toBe('…/share/sonofuse/default/catalog.db');
    expect(shortenPath(path, 24)).toBe('…/default/catalog.db');
    expect(shortenPath(path).length).toBeLessThanOrEqual(40);
  });

  it('handles Windows separators and a file name longer than the limit', () => {
    expect(shortenPath('C:\\Users\\ana\\AppData\\Roaming\\SonoFuse\\workspaces\\default\\catalog.db')).toBe(
      '…\\SonoFuse\\workspaces\\default\\catalog.db', // exactly 40
    );
    expect(shortenPath(`/x/${'a'.repeat(50)}.db`, 12)).toBe(`…${'a'.repeat(8)}.db`);
  });
});

describe('shortenCatalogLocation', () => {
  it('shows a shared catalog as user@host/database (no scheme, password marker or parameters)', () => {
    expect(
      shortenCatalogLocation(
        'postgresql://arossi:***@db.hospital.local/sonofuse?sslmode=verify-full&password=***',
      ),
    ).toBe('arossi@db.hospital.local/sonofuse');
    expect(shortenCatalogLocation('postgres://db.hospital.local:5432/sonofuse')).toBe(
      'db.hospital.local:5432/sonofuse',
    );
    expect(
      shortenCatalogLocation(
        'postgres://a-very-long-user-name@db.a-very-long-hospital-domain.example/sonofuse',
        30,
      ),
    ).toBe('a-very-long-us…xample/sonofuse');
  });

  it('shortens a catalog file path as before', () => {
    expect(shortenCatalogLocation('/home/ann/.local/share/sonofuse/default/catalog.db', 30)).toBe(
      shortenPath('/home/ann/.local/share/sonofuse/default/catalog.db', 30),
    );
  });
});
