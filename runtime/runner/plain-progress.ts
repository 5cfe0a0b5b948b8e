import type { SweepEvent } from './sweep-events.js';

/**
 * Progress for logs and pipes: one timestamped line per run start, epoch and
 * run end (batches are not printed). `quiet` keeps only failures and refusals.
 */
export function plainProgress(write: (text: string) => void, options: { quiet?: boolean } = {}): (event: SweepEvent) => void {
  const line = (text: string) => write(`${new Date().toISOString()} ${text}\n`);
  return (event) => {
    if (options.quiet && !(event.type === 'run-refused' || event.type === 'proposal-refused' || (event.type === 'run-end' && event.status === 'failed'))) return;
    switch (event.type) {
      case 'sweep-start':
        line(`sweep: ${event.selected} of ${event.total} runs selected`);
        break;
      case 'run-skip':
        line(`${event.run.name} [${event.run.id}]: skipped, ${event.reason}`);
        break;
      case 'run-busy':
        line(`${event.run.name} [${event.run.id}]: held by ${event.owner}, waiting`);
        break;
      case 'run-refused':
        line(`${event.run.name} [${event.run.id}]: refused: ${event.message}`);
        break;
      case 'proposal':
        if (event.proposed) line(`${event.slot}: proposed ${event.run.name} [${event.run.id}]`);
        break;
      case 'proposal-refused':
        line(`${event.slot}: refused: ${event.message}`);
        break;
      case 'run-start':
        line(`${event.run.name} [${event.run.id}]: ${event.fresh ? 'retraining from scratch' : 'started'}`);
        break;
      case 'run-event': {
        const e = event.event;
        if (e.type === 'phase' || e.type === 'notice') line(`${event.run.name}: ${e.type === 'phase' ? e.phase : e.message}`);
        if (e.type === 'epoch-end') {
          const m = e.metrics;
          line(
            `${event.run.name}: epoch ${m.epoch} train loss ${m.train_loss.toFixed(4)} acc ${m.train_accuracy.toFixed(3)}, ` +
              `val loss ${m.val_loss.toFixed(4)} acc ${m.val_accuracy.toFixed(3)}, ${m.images_per_second.toFixed(1)} img/s`,
          );
        }
        break;
      }
      case 'run-end': {
        const failure = event.failure ? `: ${event.failure.code}: ${event.failure.message}` : '';
        line(`${event.run.name} [${event.run.id}]: ${event.status}${failure} (${event.seconds.toFixed(1)} s)`);
        break;
      }
    }
  };
}
