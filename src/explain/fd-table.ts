/**
 * A map from descriptor numbers to what the explainer knows about them. Processes use small numbers
 * and open and close the same ones over and over (find, shells, servers); a Map would leave a deleted
 * slot per close and rebuild itself every few cycles, so small numbers live in an array instead.
 * Iterates in numeric order.
 */
const DENSE_LIMIT = 4096;

export class FdTable<T> {
  private readonly dense: Array<T | undefined> = [];
  /** Negative numbers (AT_FDCWD) and numbers past DENSE_LIMIT. */
  private sparse: Map<number, T> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(fd: number): T | undefined {
    return isDense(fd) ? this.dense[fd] : this.sparse?.get(fd);
  }

  has(fd: number): boolean {
    return this.get(fd) !== undefined;
  }

  set(fd: number, value: T): this {
    if (isDense(fd)) {
      if (this.dense[fd] === undefined) this.count++;
      while (this.dense.length < fd) this.dense.push(undefined); // stay a packed array, never holey
      this.dense[fd] = value;
    } else {
      this.sparse ??= new Map();
      if (!this.sparse.has(fd)) this.count++;
      this.sparse.set(fd, value);
    }
    return this;
  }

  delete(fd: number): boolean {
    if (isDense(fd)) {
      if (this.dense[fd] === undefined) return false;
      this.dense[fd] = undefined;
    } else if (!this.sparse?.delete(fd)) {
      return false;
    }
    this.count--;
    return true;
  }

  clear(): void {
    this.dense.length = 0;
    this.sparse = undefined;
    this.count = 0;
  }

  *entries(): IterableIterator<[number, T]> {
    const negative = this.sparse ? [...this.sparse.keys()].filter((fd) => fd < 0).sort((a, b) => a - b) : [];
    for (const fd of negative) {
      const value = this.sparse?.get(fd);
      if (value !== undefined) yield [fd, value];
    }
    for (let fd = 0; fd < this.dense.length; fd++) {
      const value = this.dense[fd];
      if (value !== undefined) yield [fd, value];
    }
    if (this.sparse) {
      const large = [...this.sparse.keys()].filter((fd) => fd >= 0).sort((a, b) => a - b);
      for (const fd of large) {
        const value = this.sparse?.get(fd);
        if (value !== undefined) yield [fd, value];
      }
    }
  }

  *keys(): IterableIterator<number> {
    for (const [fd] of this.entries()) yield fd;
  }

  *values(): IterableIterator<T> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[number, T]> {
    return this.entries();
  }
}

function isDense(fd: number): boolean {
  return fd >= 0 && fd < DENSE_LIMIT && Number.isInteger(fd);
}
