import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const forks: Array<{
  path: string;
  options: Record<string, unknown>;
  child: EventEmitter & {
    postMessage: ReturnType<typeof vi.fn>;
    kill: ReturnType<typeof vi.fn>;
    pid: number;
    stdout: EventEmitter;
    stderr: EventEmitter;
  };
}> = [];
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (path: string, _args: string[], options: Record<string, unknown>) => {
      const child = Object.assign(new EventEmitter(), {
        postMessage: vi.fn(),
        kill: vi.fn(),
        pid: 4242,
        stdout: new EventEmitter(),
        stderr: new EventEmitter(),
      });
      forks.push({ path, options, child });
      return child;
    },
  },
}));
const { createUtilityProcessTransport } = await import('../../../../main/app/utility-process-transport');

describe('utilityProcess trainer transport', () => {
  it('forks the bundled entry with piped output and relays messages, output and exit', () => {
    const transport = createUtilityProcessTransport({
      entry: '/app/out/trainer/trainer-entry.cjs',
      env: { A: '1' },
    });
    const { path, options, child } = forks[0]!;
    expect(path).toBe('/app/out/trainer/trainer-entry.cjs');
    expect(options).toMatchObject({
      stdio: 'pipe',
      serviceName: 'SonoFuse trainer',
      env: { A: '1', SONOFUSE_TRAINER_PORT: 'electron-utility' },
    });
    expect(transport.pid).toBe(4242);

    const messages: unknown[] = [];
    const output: string[] = [];
    const exits: unknown[] = [];
    transport.onMessage((m) => messages.push(m));
    transport.onOutput((t) => output.push(t));
    transport.onExit((e) => exits.push(e));
    child.emit('message', { type: 'ready' });
    child.stderr.emit('data', Buffer.from('tfjs banner'));
    transport.send({ type: 'cancel' } as never);
    expect(child.postMessage).toHaveBeenCalledWith({ type: 'cancel' });
    transport.kill('SIGKILL');
    child.emit('exit', 1);
    child.emit('exit', 1);
    expect(messages).toEqual([{ type: 'ready' }]);
    expect(output).toEqual(['tfjs banner']);
    expect(exits).toEqual([{ code: 1, signal: 'SIGKILL' }]);
    // After exit: no more sends, and late exit listeners hear it at once.
    transport.send({ type: 'cancel' } as never);
    expect(child.postMessage).toHaveBeenCalledTimes(1);
    const late = vi.fn();
    transport.onExit(late);
    expect(late).toHaveBeenCalledWith({ code: 1, signal: 'SIGKILL' });
  });
});
