/**
 * The resource pool of a parallel run: each resource (`cpu`, `memory`, ...) has the
 * same capacity, set by the workflow's `resources` strategy, and the running steps'
 * demands add up to at most that.
 */
import type { ResourceStrategy } from '../model/model.js';

/** Capacity per resource of each strategy; `unlimited` has none. */
export const POOL_CAPACITY: Readonly<Record<ResourceStrategy, number>> = {
    conservative: 0.5,
    balanced: 1.0,
    aggressive: 2.0,
    unlimited: Infinity,
};

/** A step's demand, flattened once so the hot path does not walk objects. */
export interface Demand {
    readonly keys: readonly string[];
    readonly amounts: readonly number[];
}

/** No demand: shared by every step whose tool declares no resources. */
export const NO_DEMAND: Demand = { keys: [], amounts: [] };

/** Flattens a tool's `resources` record; zero and negative amounts are dropped. */
export function toDemand(resources: Readonly<Record<string, number>> | undefined): Demand {
    if (!resources) {
        return NO_DEMAND;
    }
    const keys: string[] = [];
    const amounts: number[] = [];
    for (const [key, amount] of Object.entries(resources)) {
        if (amount > 0) {
            keys.push(key);
            amounts.push(amount);
        }
    }
    return keys.length === 0 ? NO_DEMAND : { keys, amounts };
}

// Demands like 0.1 + 0.2 must fit in 0.3: compare with a little slack.
const EPSILON = 1e-9;

/** Tracks what the running steps hold. */
export class ResourcePool {
    private readonly used = new Map<string, number>();

    constructor(readonly capacity: number) {}

    /**
     * Whether `demand` fits now. A demand larger than the whole pool fits when nothing
     * else holds that resource: it then runs alone on it instead of never running.
     */
    fits(demand: Demand): boolean {
        if (this.capacity === Infinity) {
            return true;
        }
        for (let k = 0; k < demand.keys.length; k++) {
            const used = this.used.get(demand.keys[k]!) ?? 0;
            const amount = demand.amounts[k]!;
            if (used + amount > this.capacity + EPSILON && !(amount > this.capacity && used <= EPSILON)) {
                return false;
            }
        }
        return true;
    }

    acquire(demand: Demand): void {
        for (let k = 0; k < demand.keys.length; k++) {
            const key = demand.keys[k]!;
            this.used.set(key, (this.used.get(key) ?? 0) + demand.amounts[k]!);
        }
    }

    release(demand: Demand): void {
        for (let k = 0; k < demand.keys.length; k++) {
            const key = demand.keys[k]!;
            const left = (this.used.get(key) ?? 0) - demand.amounts[k]!;
            this.used.set(key, left < EPSILON ? 0 : left);
        }
    }

    /** Amount of `resource` held now. */
    inUse(resource: string): number {
        return this.used.get(resource) ?? 0;
    }
}
