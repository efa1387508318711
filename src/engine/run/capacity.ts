/**
 * Slots and resources that one run owns, or that several runs share (`runWorkflows`,
 * the MCP face's `coordinate`). Each run keeps its own ready queue and limits; this
 * holds what they compete for: a total concurrency limit and one resource pool.
 *
 * Admission across runs is round-robin, one task per run per turn, so a run with a
 * thousand ready steps cannot starve another with three.
 */
import { ResourcePool } from './resource-pool.js';

/** A run as the shared capacity sees it. */
export interface CapacityMember {
    /** Starts up to `max` ready tasks that fit now; returns how many started. */
    admit(max: number): number;
}

export class SharedCapacity {
    /** Tasks running across all members. */
    running = 0;
    readonly pool: ResourcePool;
    private readonly members: CapacityMember[] = [];
    private pumping = false;
    private again = false;
    private next = 0;
    private held = false;

    /**
     * @param limit total running tasks across members (Infinity: none beyond theirs)
     * @param capacity per resource, as in POOL_CAPACITY
     */
    constructor(
        readonly limit: number,
        capacity: number,
    ) {
        this.pool = new ResourcePool(capacity);
    }

    join(member: CapacityMember): void {
        this.members.push(member);
    }

    /** A finished run leaves, so turns are not wasted on it. */
    leave(member: CapacityMember): void {
        const i = this.members.indexOf(member);
        if (i >= 0) {
            this.members.splice(i, 1);
        }
    }

    /** Admits nothing until `release`: lets every run join before the first is served. */
    hold(): void {
        this.held = true;
    }

    release(): void {
        this.held = false;
        this.pump();
    }

    /**
     * Starts whatever fits, across members. Re-entrant calls (a task that ends while
     * being started, e.g. on a parameter error) only ask for another pass: admission
     * never nests, so the queues are never walked twice at once.
     */
    pump(): void {
        if (this.held) {
            return;
        }
        if (this.pumping) {
            this.again = true;
            return;
        }
        this.pumping = true;
        try {
            do {
                this.again = false;
                const members = this.members;
                if (members.length === 1) {
                    members[0]!.admit(Infinity);
                    continue;
                }
                // Round-robin, one task a turn, until a whole round starts nothing.
                let idle = 0;
                while (idle < members.length && this.running < this.limit) {
                    const m = members[this.next++ % members.length]!;
                    idle = m.admit(1) > 0 ? 0 : idle + 1;
                }
            } while (this.again);
        } finally {
            this.pumping = false;
        }
    }
}
