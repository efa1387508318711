/**
 * A binary min-heap over an array, ordered by a comparator. The scheduler's ready
 * queue: O(log n) push/pop and no allocation per operation beyond the array's growth.
 */
export class PriorityQueue<T> {
    private readonly items: T[] = [];

    /** `less(a, b)`: whether `a` comes out before `b`. */
    constructor(private readonly less: (a: T, b: T) => boolean) {}

    get size(): number {
        return this.items.length;
    }

    peek(): T | undefined {
        return this.items[0];
    }

    push(item: T): void {
        const items = this.items;
        let i = items.length;
        items.push(item);
        // Sift up with a hole instead of swaps: one write per level.
        while (i > 0) {
            const parent = (i - 1) >> 1;
            const p = items[parent]!;
            if (!this.less(item, p)) {
                break;
            }
            items[i] = p;
            i = parent;
        }
        items[i] = item;
    }

    pop(): T | undefined {
        const items = this.items;
        const top = items[0];
        const last = items.pop();
        if (items.length > 0 && last !== undefined) {
            const n = items.length;
            let i = 0;
            for (;;) {
                const l = 2 * i + 1;
                if (l >= n) {
                    break;
                }
                const r = l + 1;
                const c = r < n && this.less(items[r]!, items[l]!) ? r : l;
                if (!this.less(items[c]!, last)) {
                    break;
                }
                items[i] = items[c]!;
                i = c;
            }
            items[i] = last;
        }
        return top;
    }
}
