import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CALL_CHANNEL_PATTERN,
  EVENT_CHANNEL_PATTERN,
  callChannels,
  calls,
  eventChannels,
  events,
} from '../../../../shared/contract/index';

describe('the contract surface', () => {
  it('is the reviewed list of channels (a change to the surface shows up here)', () => {
    expect({ calls: callChannels, events: eventChannels }).toMatchSnapshot();
  });

  it('names calls domain:verb and events domain:onThing', () => {
    for (const c of callChannels) expect(c).toMatch(CALL_CHANNEL_PATTERN);
    for (const e of eventChannels) expect(e).toMatch(EVENT_CHANNEL_PATTERN);
    // A call may never be named like an event, or the preload would expose it as a listener.
    for (const c of callChannels) expect(c.split(':')[1]).not.toMatch(/^on[A-Z]/);
  });

  it('gives every call zod input and output schemas and every event a payload schema', () => {
    for (const c of callChannels) {
      expect(calls[c].kind).toBe('call');
      expect(calls[c].input).toBeInstanceOf(z.ZodType);
      expect(calls[c].output).toBeInstanceOf(z.ZodType);
      expect(calls[c].summary.length).toBeGreaterThan(10);
    }
    for (const e of eventChannels) {
      expect(events[e].kind).toBe('event');
      expect(events[e].payload).toBeInstanceOf(z.ZodType);
    }
  });

  it('rejects unknown keys on app:info input (strict objects keep the surface honest)', () => {
    expect(calls['app:info'].input.safeParse({}).success).toBe(true);
    expect(calls['app:info'].input.safeParse({ extra: 1 }).success).toBe(false);
    expect(calls['app:recentLogs'].input.parse({})).toEqual({ limit: 100 });
  });
});
