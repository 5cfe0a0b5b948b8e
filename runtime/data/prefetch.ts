/**
 * Runs `prepare(i)` for i = 0..count-1 at most `depth` ahead of the consumer
 * and yields the results in order: decoding overlaps training while memory
 * stays bounded to `depth` prepared batches. A failure surfaces when its item
 * is reached; stopping early leaves nothing running unobserved.
 */
export async function* prefetch<T>(count: number, depth: number, prepare: (index: number) => Promise<T>): AsyncGenerator<T> {
  const pending: Promise<T>[] = [];
  let started = 0;
  const fill = () => {
    while (started < count && pending.length < depth) {
      const promise = prepare(started++);
      promise.catch(() => undefined);
      pending.push(promise);
    }
  };
  fill();
  while (pending.length > 0) {
    const next = pending.shift()!;
    fill();
    yield await next;
  }
}
