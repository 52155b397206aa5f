type Model = Readonly<Record<string, unknown>>;

/** How many resources are remembered; the oldest is forgotten first. */
const LIMIT = 10_000;

/**
 * The last payload of each resource an event was about, by resource (`buckets.B.files.F`): a delete
 * answered from a cassette is a 204 with no body, and Appwrite's payload for it is the resource as it was.
 */
export class RecentModels {
  readonly #models = new Map<string, Model>();

  get(resource: string): Model | undefined {
    return this.#models.get(resource);
  }

  set(resource: string, model: Model): void {
    this.#models.delete(resource);
    this.#models.set(resource, model);
    if (this.#models.size > LIMIT) this.#models.delete(this.#models.keys().next().value as string);
  }

  delete(resource: string): void {
    this.#models.delete(resource);
  }
}
