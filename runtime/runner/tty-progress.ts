import type { SweepEvent } from './sweep-events.js';

interface LiveRun {
  name: string;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  phase: string;
}

const BAR = 24;

/**
 * The live terminal display: permanent lines for run outcomes, and below them
 * a block redrawn in place (at most 10 times a second) with the sweep's
 * progress and ETA and one line per run in flight: epoch, batch bar, loss,
 * accuracy, images/s. Returns the event handler and a `close` that leaves the
 * terminal clean.
 */
export function ttyProgress(write: (text: string) => void, columns = () => process.stdout.columns ?? 100) {
  const live = new Map<string, LiveRun>();
  let selected = 0;
  let finished = 0;
  let skipped = 0;
  let failed = 0;
  let started: number | null = null;
  let drawnLines = 0;
  let lastDraw = 0;

  const clear = () => {
    if (drawnLines > 0) write(`\x1b[${drawnLines}F\x1b[J`);
    drawnLines = 0;
  };
  const fit = (text: string) => {
    const width = Math.max(columns() || 100, 20); // a pseudo-terminal may report 0 columns
    return text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text;
  };
  const draw = () => {
    clear();
    const toTrain = selected - skipped;
    const fractions = [...live.values()].reduce((sum, r) => sum + (r.epochs ? (r.epoch - 1 + (r.batches ? r.batch / r.batches : 0)) / r.epochs : 0), 0);
    const progress = finished + fractions;
    const elapsed = started === null ? 0 : (Date.now() - started) / 1000;
    const eta = progress > 0 && toTrain > progress ? ` · ETA ${formatDuration((elapsed / progress) * (toTrain - progress))}` : '';
    const lines = [`sweep ${finished + skipped}/${selected} runs done${failed ? ` · ${failed} failed` : ''}${eta}`];
    for (const run of live.values()) {
      if (run.batches === 0) {
        lines.push(`  ${run.name}: ${run.phase}`);
        continue;
      }
      const filled = Math.round((run.batch / run.batches) * BAR);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`;
      lines.push(
        `  ${run.name} epoch ${run.epoch}/${run.epochs} ${bar} ${run.batch}/${run.batches} ` +
          `loss ${run.loss.toFixed(4)} acc ${run.accuracy.toFixed(3)} ${run.imagesPerSecond.toFixed(1)} img/s`,
      );
    }
    write(`${lines.map(fit).join('\n')}\n`);
    drawnLines = lines.length;
    lastDraw = Date.now();
  };
  const permanent = (text: string) => {
    clear();
    write(`${text}\n`);
    draw();
  };

  const onEvent = (event: SweepEvent) => {
    switch (event.type) {
      case 'sweep-start':
        selected = event.selected;
        draw();
        return;
      case 'run-skip':
        skipped++;
        return draw();
      case 'run-busy':
        return permanent(`… ${event.run.name} is held by ${event.owner}; waiting for it`);
      case 'run-refused':
        return permanent(`✗ ${event.run.name}: refused: ${event.message}`);
      case 'proposal':
        return event.proposed ? permanent(`+ ${event.slot}: proposed ${event.run.name}`) : undefined;
      case 'proposal-refused':
        return permanent(`✗ ${event.slot}: refused: ${event.message}`);
      case 'run-start':
        started ??= Date.now();
        live.set(event.run.id, { name: event.run.name, epoch: 0, epochs: event.run.config.epochs, batch: 0, batches: 0, loss: 0, accuracy: 0, imagesPerSecond: 0, phase: 'starting' });
        return draw();
      case 'run-event': {
        const run = live.get(event.run.id);
        if (!run) return;
        const e = event.event;
        if (e.type === 'phase') run.phase = e.phase;
        if (e.type === 'notice') return permanent(`! ${event.run.name}: ${e.message}`);
        if (e.type === 'epoch-begin') Object.assign(run, { epoch: e.epoch, epochs: e.epochs, batch: 0 });
        if (e.type === 'batch') Object.assign(run, { epoch: e.epoch, batch: e.batch, batches: e.batches, loss: e.loss, accuracy: e.accuracy, imagesPerSecond: e.imagesPerSecond });
        if (e.type === 'epoch-end') {
          const m = e.metrics;
          return permanent(`  ${event.run.name} epoch ${m.epoch}: val loss ${m.val_loss.toFixed(4)} acc ${m.val_accuracy.toFixed(3)}`);
        }
        if (Date.now() - lastDraw > 100) draw();
        return;
      }
      case 'run-end': {
        live.delete(event.run.id);
        if (event.status !== 'interrupted') finished++;
        if (event.status === 'failed') failed++;
        const mark = event.status === 'completed' ? '✓' : event.status === 'failed' ? '✗' : '■';
        const failure = event.failure ? `: ${event.failure.code}: ${event.failure.message}` : '';
        return permanent(`${mark} ${event.run.name} ${event.status}${failure} (${formatDuration(event.seconds)})`);
      }
    }
  };
  return { onEvent, close: () => draw() };
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
