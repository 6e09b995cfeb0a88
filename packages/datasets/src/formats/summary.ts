import type { FileSummary } from '@neurite/kernel';
import { durationSeconds, type EventStream } from '../events/types.js';

/** What `neurite inspect` shows for an event stream. */
export function eventSummary(
  format: string,
  events: EventStream,
  details: Record<string, unknown> = {},
): FileSummary {
  const n = events.t.length;
  let on = 0;
  for (let i = 0; i < n; i++) on += events.p[i]!;
  const timing = n ? { firstMicroseconds: events.t[0]!, lastMicroseconds: events.t[n - 1]! } : {};
  if (events.kind === 'camera') {
    return {
      format,
      events: n,
      sensor: [events.sensor[0], events.sensor[1]],
      durationSeconds: durationSeconds(events),
      details: { on, off: n - on, ...timing, ...details },
    };
  }
  const used = new Set(events.channel).size;
  return {
    format,
    events: n,
    spikes: n,
    channels: events.channels,
    units: events.channels,
    durationSeconds: durationSeconds(events),
    details: { activeChannels: used, on, ...timing, ...details },
  };
}
