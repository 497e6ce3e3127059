import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineEdges, renderMachineDoc } from './booking-machine.doc';
import { TRANSITIONS } from './booking-transitions';

describe('docs/booking-state-machine.md', () => {
  it('is up to date with the machine (run `npm run docs:machine` after changing it)', () => {
    const committed = readFileSync(
      join(__dirname, '..', '..', '..', 'docs', 'booking-state-machine.md'),
      'utf8',
    );
    expect(committed).toBe(renderMachineDoc());
  });

  it('shows every transition of the machine', () => {
    const defined = Object.values(TRANSITIONS).flatMap((events) => Object.values(events).flat());
    expect(machineEdges()).toHaveLength(defined.length);
  });
});
