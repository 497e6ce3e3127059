import { AdmissionGate } from './admission-gate';

/** A task that runs until `finish` is called, recording when it started. */
function pending(started: string[], name: string) {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return {
    work: () => {
      started.push(name);
      return done;
    },
    finish,
    fail,
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('AdmissionGate', () => {
  it('runs at most `limit` tasks at once, the others in arrival order as slots free up', async () => {
    const gate = new AdmissionGate(2);
    const started: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => pending(started, name));
    const outcomes = Promise.allSettled([a, b, c, d].map((task) => gate.run(task.work)));
    await turn();
    expect(started).toEqual(['a', 'b']);
    b.finish();
    await turn();
    expect(started).toEqual(['a', 'b', 'c']);
    a.fail(new Error('render failed'));
    await turn();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    c.finish();
    d.finish();
    expect((await outcomes).map((outcome) => outcome.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
  });

  it('frees the slot of a task that failed, so the gate never shrinks', async () => {
    const gate = new AdmissionGate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new AdmissionGate(0)).toThrow();
    expect(() => new AdmissionGate(1.5)).toThrow();
  });
});
