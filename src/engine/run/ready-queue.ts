/**
 * Admission control: the ready queue and the rules for starting its tasks.
 * - `sequential`: one task at a time in file order, except that members of the
 *   running `parallel_group` may join it.
 * - otherwise: as many as the run's limit (`max_parallel`, or the adaptive limit),
 *   the shared capacity's total and the resource pool allow, highest priority first;
 *   when the head does not fit the pool, up to BACKFILL_SCAN tasks behind it are tried
 *   (backfilling keeps the pool busy; the head keeps its place).
 * - unconstrained (no limit, no pool or no step with a demand on it, not sequential):
 *   every ready task starts at once, so order cannot matter and a plain FIFO array
 *   replaces the heap (and the run skips computing priorities).
 */
import type { SharedCapacity } from './capacity.js';
import { PriorityQueue } from './priority-queue.js';
import { NO_DEMAND } from './resource-pool.js';
import { taskBefore, type Task } from './run-state.js';

/** How many blocked tasks one scheduling pass looks past to find one that fits. */
const BACKFILL_SCAN = 64;

export class ReadyQueue {
    private readonly heap = new PriorityQueue<Task>(taskBefore);
    /** Taken slots are cleared (a task must not outlive its run in here) and the array emptied now and then. */
    private readonly fifo: Array<Task | undefined> | undefined;
    private fifoHead = 0;
    private currentGroup: string | undefined = undefined;
    /** Tasks admitted and not yet released. */
    running = 0;

    constructor(
        /** This run's own limit; `adaptive` mode moves it. */
        public limit: number,
        private readonly sequential: boolean,
        private readonly shared: SharedCapacity,
        /** Nothing can ever hold a ready task back (see the module comment). */
        unconstrained = false,
    ) {
        this.fifo = unconstrained ? [] : undefined;
    }

    get size(): number {
        return this.fifo ? this.fifo.length - this.fifoHead : this.heap.size;
    }

    push(task: Task): void {
        if (this.fifo) {
            this.fifo.push(task);
        } else {
            this.heap.push(task);
        }
    }

    /** Admits up to `max` tasks that may start now, handing each to `start`. */
    admit(start: (task: Task) => void, max: number): number {
        const fifo = this.fifo;
        if (fifo) {
            let n = 0;
            while (n < max && this.fifoHead < fifo.length) {
                const task = fifo[this.fifoHead]!;
                fifo[this.fifoHead++] = undefined;
                n++;
                this.running++;
                this.shared.running++;
                start(task);
            }
            // Not on every pass: `length = 0` is a slow builtin and drops the backing
            // store, which the next push allocates again.
            if (this.fifoHead === fifo.length && fifo.length >= 1024) {
                fifo.length = 0;
                this.fifoHead = 0;
            }
            return n;
        }
        const heap = this.heap;
        const shared = this.shared;
        const pool = shared.pool;
        let deferred: Task[] | undefined;
        let scanned = 0;
        let admitted = 0;
        while (admitted < max && this.running < this.limit && shared.running < shared.limit && heap.size > 0) {
            const task = heap.peek()!;
            if (this.sequential && this.running > 0) {
                const group = task.step.spec.parallelGroup;
                if (group === undefined || group !== this.currentGroup) {
                    break;
                }
            }
            const demand = task.step.demand;
            if (demand === NO_DEMAND || pool.fits(demand)) {
                heap.pop();
                if (this.running === 0) {
                    this.currentGroup = task.step.spec.parallelGroup;
                }
                this.running++;
                shared.running++;
                admitted++;
                if (demand !== NO_DEMAND) {
                    pool.acquire(demand);
                }
                start(task);
                continue;
            }
            if (this.sequential) {
                break;
            }
            (deferred ??= []).push(heap.pop()!);
            if (++scanned >= BACKFILL_SCAN) {
                break;
            }
        }
        if (deferred) {
            for (const task of deferred) {
                heap.push(task);
            }
        }
        return admitted;
    }

    /** A started task is over: its slot and resources are free again. */
    release(task: Task): void {
        this.running--;
        this.shared.running--;
        if (task.step.demand !== NO_DEMAND) {
            this.shared.pool.release(task.step.demand);
        }
    }
}
