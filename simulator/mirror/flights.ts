// Single-flight: concurrent misses on one key share one origin fetch. The first miss leads; later ones
// wait for its outcome and then read the stored copy (nginx proxy_store and Sippy fetch once per client
// instead; proposed, after statement 100 of the research notes).

import type { Landing } from './miss-outcome.ts';

export class Flights {
  private flights = new Map<string, Promise<Landing>>();

  /** The flight in progress for the key, if any. */
  current(bucket: string, key: string): Promise<Landing> | undefined {
    return this.flights.get(flightKey(bucket, key));
  }

  /** Starts leading a flight for the key; the returned `land` settles it once, later calls do nothing. */
  lead(bucket: string, objectKey: string): (landing: Landing) => void {
    const key = flightKey(bucket, objectKey);
    let land!: (landing: Landing) => void;
    const flight = new Promise<Landing>((resolve) => {
      land = resolve;
    });
    this.flights.set(key, flight);
    let landed = false;
    return (landing) => {
      if (landed) return;
      landed = true;
      if (this.flights.get(key) === flight) this.flights.delete(key);
      land(landing);
    };
  }

  reset(): void {
    this.flights = new Map();
  }
}

function flightKey(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}
