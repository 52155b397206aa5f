import type { Cassette } from '../cassette/cassette-store.js';
import { IdMap } from '../match/id-map.js';
import type { Interaction } from '../model/interaction.js';

export interface Replayed {
  interaction: Interaction;
  /** The cassette's ID pairs, to rewrite the answer with; null when ID mapping is off. */
  idMap: IdMap | null;
}

/** Finds the recording for a request identity, pairing client-generated IDs with recorded ones (see `IdMap`). */
export class Replayer {
  readonly #mapIds: boolean;
  #maps = new WeakMap<Cassette, IdMap>();

  constructor(mapIds: boolean) {
    this.#mapIds = mapIds;
  }

  /** Forgets every ID pair: the next requests pair their IDs afresh. */
  forget(): void {
    this.#maps = new WeakMap();
  }

  next(cassette: Cassette, key: string): Replayed | null {
    if (!this.#mapIds) {
      const interaction = cassette.next(key);
      return interaction ? { interaction, idMap: null } : null;
    }
    let map = this.#maps.get(cassette);
    if (!map) {
      map = new IdMap();
      this.#maps.set(cassette, map);
    }
    let mapped = map.toRecorded(key);
    if (!cassette.has(mapped)) {
      const { interactions } = cassette;
      for (let i = map.indexed; i < interactions.length; i++) map.addRecorded(cassette.keyOf(interactions[i] as Interaction));
      const paired = map.pair(mapped, (candidate) => cassette.has(candidate));
      if (paired === null) return null;
      mapped = paired;
    }
    const interaction = cassette.next(mapped);
    return interaction ? { interaction, idMap: map } : null;
  }
}
