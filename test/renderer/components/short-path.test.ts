import { describe, expect, it } from 'vitest';
import { shortenPath } from '../../../renderer/components/short-path';

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
