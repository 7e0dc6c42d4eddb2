/**
 * Memory of the loopback host under fuzzed WebSocket traffic: sends the standing fuzz test's
 * messages (fixed seed) in passes and prints RSS / V8 heap / external memory after each block,
 * with a forced GC when node runs with --expose-gc. A leak keeps growing pass after pass; a cache
 * or an allocator high-water mark levels off after the first. Prints figures, never fails on them.
 *
 *   node --expose-gc --import tsx bench/host-fuzz-memory.ts [--messages 4000] [--passes 3] [--only CHANNEL] [--big MiB]
 *   (NO_GC=1 samples without forcing a collection, as a process in the field would be seen.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createAppCore } from '../main/contract-server/create-app-core';
import { startHost } from '../main/host/http-host';
import { catalogMediaSource, createMediaRoute } from '../main/host/media-route';
import { createLogger } from '../main/core/logger';
import { fuzzMessages, type FuzzMessage } from '../test/support/host-fuzz';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '4000' },
    passes: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20261204' },
    only: { type: 'string' },
    /** Every 100th message becomes a call carrying this many MiB (0: none), as a fuzzer near maxPayload sends. */
    big: { type: 'string', default: '0' },
  },
});
const count = Number(values.messages);
const passes = Number(values.passes);
const gc = (globalThis as { gc?: () => void }).gc;

const mb = (n: number): string => (n / 1048576).toFixed(1).padStart(7);
const sample = (label: string): void => {
  if (process.env.NO_GC !== '1') gc?.();
  const m = process.memoryUsage();
  console.log(
    `${label.padEnd(18)} rss ${mb(m.rss)}  heapUsed ${mb(m.heapUsed)}  external ${mb(m.external)}  arrayBuffers ${mb(m.arrayBuffers)}`,
  );
};

const dir = mkdtempSync(join(tmpdir(), 'sonofuse-fuzz-mem-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html>');
const core = createAppCore({
  shell: 'browser-host',
  version: '0.0.0',
  logger: createLogger({ minLevel: 'info' }),
  catalogDbPath: join(dir, 'catalog.db'),
});
const host = await startHost({
  core,
  rendererDir: dir,
  routes: [createMediaRoute(() => catalogMediaSource(core.services))],
});
let answered = 0;
let closedByHost = 0;
let wake: (() => void) | null = null;
const open = async (): Promise<WebSocket> => {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
    headers: { Origin: host.origin },
  });
  ws.on('message', (d) => {
    if (!d.toString().startsWith('{"type":"event"')) answered++;
    wake?.();
  });
  ws.on('close', () => {
    closedByHost++;
    wake?.();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return ws;
};
let ws = await open();

let messages: FuzzMessage[] = fuzzMessages(Number(values.seed), count);
if (values.only)
  messages = messages.filter((m) => 'text' in m && m.text.includes(`"channel":"${values.only}`));
const bigMiB = Number(values.big);
// Built once and sent by reference: the bench's own memory does not grow with the number sent.
const bigFrame =
  bigMiB > 0
    ? JSON.stringify({
        type: 'call',
        id: 1,
        channel: 'catalog:setNote',
        input: { imageId: 1, text: 'n'.repeat(bigMiB * 1048576 - 100), user: 'u' },
      })
    : '';
const pick = (i: number): FuzzMessage => (bigFrame && i % 100 === 99 ? { text: bigFrame } : messages[i]!);
console.log(
  `host fuzz memory: ${messages.length} messages per pass, ${passes} passes, gc ${gc ? 'forced' : 'not exposed'}`,
);
sample('start');
// One call of each kind first, so lazy initialisation (catalog open, statements) is not counted as growth.
for (let pass = 1; pass <= passes; pass++) {
  const started = performance.now();
  for (let at = 0; at < messages.length; at += 16) {
    const batch = Array.from({ length: Math.min(16, messages.length - at) }, (_, k) => pick(at + k));
    const target = answered + batch.length;
    const closes = closedByHost;
    for (const m of batch) ws.send('text' in m ? m.text : m.binary, { binary: !('text' in m) });
    while (answered < target && closedByHost === closes)
      await new Promise<void>((resolve) => (wake = resolve));
    if (closedByHost !== closes) {
      answered = target; // the rest of the batch died with the socket
      ws = await open();
    }
    if ((at + 16) % 1000 < 16) sample(`pass ${pass} @${at + 16}`);
  }
  console.log(
    `pass ${pass}: ${messages.length} messages in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  sample(`after pass ${pass}`);
  if (closedByHost)
    console.log(`  sockets closed by the host so far (frame over maxPayload): ${closedByHost}`);
}
ws.close();
await host.close();
await core.dispose();
rmSync(dir, { recursive: true, force: true });
