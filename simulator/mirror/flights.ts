// Single-flight: concurrent misses on one key share one origin fetch. The first miss leads; later ones
// wait for its outcome and then read the stored copy (nginx proxy_store and Sippy fetch once per client
// instead; proposed, after statement 100 of the research notes).

export type FlightResult =
  | { kind: 'stored' }
  | { kind: 'not-found' }
  | { kind: 'failed'; reason: string }
  | { kind: 'relay-redirect'; status: number; location: string }
  /** The leader stored nothing to share (write-back off, or its copy failed after the status line). */
  | { kind: 'unshared' };

export class Flights {
  private flights = new Map<string, Promise<FlightResult>>();

  /** The flight in progress for `key`, if any. */
  current(key: string): Promise<FlightResult> | undefined {
    return this.flights.get(key);
  }

  /** Starts leading a flight; call `land` exactly once with its outcome. */
  lead(key: string): (result: FlightResult) => void {
    let land!: (result: FlightResult) => void;
    const flight = new Promise<FlightResult>((resolve) => {
      land = resolve;
    });
    this.flights.set(key, flight);
    let landed = false;
    return (result) => {
      if (landed) return;
      landed = true;
      if (this.flights.get(key) === flight) this.flights.delete(key);
      land(result);
    };
  }

  reset(): void {
    this.flights = new Map();
  }
}
