import type * as nodeFs from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';

// The file passes the stat check, then its read fails (removed, unreadable, I/O error).
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof nodeFs>();
  return {
    ...fs,
    createReadStream: () =>
      new Readable({
        read() {
          this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
        },
      }),
  };
});

const { serveStatic } = await import('../../../../main/host/static-files');

describe('serveStatic', () => {
  it('ends only the response when the file stream fails after the headers went out', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sonofuse-static-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    const res = Object.assign(new PassThrough(), {
      writeHead: vi.fn(),
      destroy: vi.fn(),
    }) as unknown as ServerResponse & { destroy: ReturnType<typeof vi.fn> };
    // Before the fix the stream had no error listener: the error was thrown as an uncaught exception.
    serveStatic(root, '/', res, {});
    await vi.waitFor(() => expect(res.destroy).toHaveBeenCalled());
    expect(res.writeHead).toHaveBeenCalledWith(200, expect.objectContaining({ 'Content-Length': '15' }));
  });
});
