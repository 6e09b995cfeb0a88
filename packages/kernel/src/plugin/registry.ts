import { PluginError, RegistryError } from '../errors.js';

export interface Named {
  readonly name: string;
}

/**
 * A named collection of one kind of contribution (ops, node types, datasets, …). Every entry remembers
 * the plugin that registered it, so duplicates are reported with both owners and a failed plugin's
 * entries can be withdrawn.
 */
export class Registry<T extends Named> {
  readonly #entries = new Map<string, { entry: T; owner: string }>();

  constructor(readonly kind: string) {}

  add(entry: T, owner: string): void {
    const existing = this.#entries.get(entry.name);
    if (existing) {
      throw new PluginError(
        owner,
        `${this.kind} '${entry.name}' is already registered by ${existing.owner}`,
        { hint: 'each name may be registered once per runtime; rename one of them' },
      );
    }
    this.#entries.set(entry.name, { entry, owner });
  }

  get(name: string): T | undefined {
    return this.#entries.get(name)?.entry;
  }

  /** Like `get`, but a missing name is a RegistryError that lists the known names. */
  require(name: string): T {
    const found = this.#entries.get(name);
    if (!found) throw new RegistryError(this.kind, name, this.names());
    return found.entry;
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }

  values(): T[] {
    return [...this.#entries.values()].map((e) => e.entry);
  }

  ownerOf(name: string): string | undefined {
    return this.#entries.get(name)?.owner;
  }

  namesOwnedBy(owner: string): string[] {
    return [...this.#entries].filter(([, e]) => e.owner === owner).map(([name]) => name);
  }

  /** Withdraws every entry of one owner (a plugin whose setup failed). */
  removeOwnedBy(owner: string): void {
    for (const name of this.namesOwnedBy(owner)) this.#entries.delete(name);
  }
}
