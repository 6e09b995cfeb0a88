import type { BatchProgress, EpochRecord } from '@neurite/kernel';

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return `${h ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(r).padStart(2, '0')}`;
}

/**
 * Training progress: a redrawn bar (epoch, batch, loss, accuracy, ETA) on a terminal; plain log lines
 * when the output is not a terminal (CI logs, pipes), so nothing is written as control characters.
 */
export class Progress {
  readonly #out: Stream;
  readonly #tty: boolean;
  #started = performance.now();
  #lastPlain = 0;

  constructor(out: Stream) {
    this.#out = out;
    this.#tty = Boolean(out.isTTY);
  }

  epochStart(): void {
    this.#started = performance.now();
    this.#lastPlain = 0;
  }

  batch(p: BatchProgress): void {
    const elapsed = (performance.now() - this.#started) / 1000;
    const eta = (elapsed / p.batch) * (p.batches - p.batch);
    const stats = `loss ${p.loss.toFixed(4)} acc ${(100 * p.accuracy).toFixed(2)}%`;
    if (this.#tty) {
      const width = 24;
      const filled = Math.round((p.batch / p.batches) * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      this.#out.write(
        `\r\x1b[2Kepoch ${p.epoch}/${p.epochs} ${bar} ${p.batch}/${p.batches} ${stats} ETA ${duration(eta)}`,
      );
    } else if (p.batch === p.batches || elapsed - this.#lastPlain >= 10) {
      this.#lastPlain = elapsed;
      this.#out.write(
        `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches} ${stats} eta ${duration(eta)}\n`,
      );
    }
  }

  epochEnd(r: EpochRecord, epochs: number): void {
    if (this.#tty) this.#out.write('\r\x1b[2K');
    this.#out.write(
      `epoch ${r.epoch}/${epochs} train loss ${r.train.loss.toFixed(4)} acc ${(100 * r.train.accuracy).toFixed(2)}% | test loss ${r.test.loss.toFixed(4)} acc ${(100 * r.test.accuracy).toFixed(2)}% | ${r.seconds.toFixed(1)} s\n`,
    );
  }
}
