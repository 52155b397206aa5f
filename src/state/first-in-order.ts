/**
 * The first `count` items of `items` in the order `compare` gives, sorted, without sorting them all: a
 * bounded heap holds the best `count` seen so far, so a page of 25 out of thousands of matches costs
 * about one comparison an item. @note `compare` must be a total order (no two items equal), as a list's
 * order is once its ties are broken by creation order: the answer is then exactly a full sort's prefix.
 */
export function firstInOrder<T>(items: readonly T[], count: number, compare: (a: T, b: T) => number): T[] {
  if (count <= 0) return [];
  if (count * 4 >= items.length) return [...items].sort(compare).slice(0, count);
  // A max-heap of the best `count`: its root is the worst of them, the first to give way.
  const heap: T[] = [];
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      up(heap, heap.length - 1, compare);
    } else if (compare(item, heap[0] as T) < 0) {
      heap[0] = item;
      down(heap, 0, compare);
    }
  }
  return heap.sort(compare);
}

/** The last `count` items of `items` in the order `compare` gives, sorted in that order. */
export function lastInOrder<T>(items: readonly T[], count: number, compare: (a: T, b: T) => number): T[] {
  return firstInOrder(items, count, (a, b) => compare(b, a)).reverse();
}

function up<T>(heap: T[], at: number, compare: (a: T, b: T) => number): void {
  const item = heap[at] as T;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (compare(heap[parent] as T, item) >= 0) break;
    heap[at] = heap[parent] as T;
    at = parent;
  }
  heap[at] = item;
}

function down<T>(heap: T[], at: number, compare: (a: T, b: T) => number): void {
  const item = heap[at] as T;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const larger = right < heap.length && compare(heap[right] as T, heap[left] as T) > 0 ? right : left;
    if (compare(heap[larger] as T, item) <= 0) break;
    heap[at] = heap[larger] as T;
    at = larger;
  }
  heap[at] = item;
}
