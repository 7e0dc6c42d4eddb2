import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { resolveInside } from '../security/path-guard';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * Serves the built renderer from `root` behind the path guard. Unknown extensions are refused
 * rather than guessed, and `/` maps to index.html.
 */
export const serveStatic = (
  root: string,
  urlPath: string,
  res: ServerResponse,
  headers: Record<string, string>,
): void => {
  const relativePath = urlPath === '/' ? 'index.html' : urlPath.replace(/^\/+/, '');
  const file = resolveInside(root, relativePath);
  const type = file ? contentTypes[extname(file).toLowerCase()] : undefined;
  let size = -1;
  try {
    if (file && type) {
      const stat = statSync(file);
      if (stat.isFile()) size = stat.size;
    }
  } catch {
    size = -1;
  }
  if (!file || !type || size < 0) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found');
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': type,
    'Content-Length': String(size),
    'Cache-Control': relativePath === 'index.html' ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  // A file that vanishes or fails to read after the headers went out ends this response only.
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
};
