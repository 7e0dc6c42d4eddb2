/**
 * Log redaction on hostile messages (the shapes that drove the old nested-quantifier path pattern
 * into backtracking): prints milliseconds per call. Prints figures, never fails on them.
 *
 *   npx tsx bench/log-redact.ts
 */
import { redact } from '../main/core/logger';

const shapes: Array<[string, (n: number) => string]> = [
  ['/a/aaaa…', (n) => '/a/' + 'a'.repeat(n)],
  ['/a/a/a…', (n) => '/a'.repeat(n / 2)],
  ['(/aaa… )×k', (n) => ('/' + 'a'.repeat(99) + ' ').repeat(n / 100)],
  ['a.a.a…@', (n) => 'a.'.repeat(n / 2) + '@'],
  ['digits', (n) => '1'.repeat(n)],
];
for (const n of [8_000, 32_000, 1_000_000]) {
  for (const [name, make] of shapes) {
    const message = make(n);
    const runs = 20;
    const started = performance.now();
    for (let i = 0; i < runs; i++) redact(message);
    console.log(
      `${String(n).padStart(9)} chars  ${name.padEnd(12)} ${((performance.now() - started) / runs).toFixed(3)} ms`,
    );
  }
}
