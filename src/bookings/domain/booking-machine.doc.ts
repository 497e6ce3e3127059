import { BOOKING_MACHINE_VERSION, bookingMachine, NEW_BOOKING } from './booking.machine';

interface Edge {
  from: string;
  event: string;
  to: string;
  guards: string[];
  effects: string[];
}

/** Every transition, read back from the xstate machine itself (not from the table it was built from). */
export function machineEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const [from, node] of Object.entries(bookingMachine.root.states)) {
    for (const [event, transitions] of Object.entries(node.on)) {
      for (const transition of transitions) {
        const guard = transition.guard as { guards?: string[] } | undefined;
        edges.push({
          from,
          event,
          to: (transition.target ?? []).map((target) => target.key).join(', '),
          guards: guard?.guards ?? [],
          effects: transition.actions.map((action) =>
            typeof action === 'string' ? action : String((action as { type?: string }).type),
          ),
        });
      }
    }
  }
  return edges;
}

const mermaidState = (state: string) => (state === NEW_BOOKING ? '[*]' : state);

/** docs/booking-state-machine.md: `npm run docs:machine` writes it; a unit test fails when it is stale. */
export function renderMachineDoc(): string {
  const edges = machineEdges();
  const arrows = new Map<string, string>();
  for (const edge of edges) {
    const key = `${mermaidState(edge.from)} --> ${mermaidState(edge.to)}`;
    const events = arrows.get(key);
    if (!events) arrows.set(key, edge.event);
    else if (!events.split(', ').includes(edge.event)) arrows.set(key, `${events}, ${edge.event}`);
  }
  const finals = Object.entries(bookingMachine.root.states)
    .filter(([, node]) => node.type === 'final')
    .map(([state]) => `  ${state} --> [*]`);
  const rows = edges.map(
    (edge) =>
      `| \`${edge.from}\` | \`${edge.event}\` | ${edge.guards.map((guard) => `\`${guard}\``).join(', ')} | \`${edge.to}\` | ${edge.effects.map((effect) => `\`${effect}\``).join(', ') || '—'} |`,
  );
  return [
    '# Booking state machine',
    '',
    '<!-- Generated from src/bookings/domain/booking.machine.ts by `npm run docs:machine`. Do not edit. -->',
    '',
    `Machine version ${BOOKING_MACHINE_VERSION} (recorded in \`booking_transitions.machine_version\`).`,
    'Every status change goes through `decide(status, facts, event)` and `recordTransition` (see',
    '`docs/architecture.md`, "Bookings"). An event not listed for a state is refused with 409; who may',
    'send it is checked first (403), then the guards in the order listed (400/409/429).',
    '',
    '```mermaid',
    'stateDiagram-v2',
    ...[...arrows].map(([arrow, events]) => `  ${arrow} : ${events}`),
    ...finals,
    '```',
    '',
    '## Transitions',
    '',
    'Guards all pass, left to right; when several rows share a state and an event, the first whose',
    'guards pass applies. Effects are carried out by the handler (payment before the status change,',
    'then data and notifications in the transaction, metrics after commit).',
    '',
    '| From | Event | Guards | To | Effects |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
