import { sha256 } from './sha256.js';

/**
 * RFC 6962 / RFC 9162 Merkle trees over SHA-256: leaf hash = H(0x00 ‖ data), interior node =
 * H(0x01 ‖ left ‖ right); a tree of n leaves splits at the largest power of two below n.
 * Pure functions shared by the server (sealing, proofs, verification) and the offline
 * verifier. Hashes are 32-byte Buffers here, lower-case hex at the edges.
 */
export const HASH_BYTES = 32;
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export function hashLeaf(data: Buffer | string): Buffer {
  return sha256(LEAF, data);
}

export function hashChildren(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE, left, right);
}

export const EMPTY_ROOT = sha256();

/** Largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

// ---------------------------------------------------------------- compact range (frontier)

/** A complete subtree: `level` (0 = leaf) and its index among subtrees of that level. */
export interface NodeRef {
  level: number;
  index: number;
}

export interface CompletedNode extends NodeRef {
  hash: Buffer;
}

/**
 * The right edge of a tree: one complete subtree hash per set bit of the tree size, largest
 * first. Appending a leaf returns every subtree completed by it (the leaf itself included),
 * which is what the node store persists. The root of any size is computable from it alone.
 */
export class Frontier {
  private constructor(
    private size_: number,
    private readonly hashes: Buffer[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** Restores a frontier for `size` from its hashes (largest subtree first). */
  static of(size: number, hashes: Buffer[]): Frontier {
    if (frontierLevels(size).length !== hashes.length) throw new Error('frontier does not match tree size');
    return new Frontier(size, [...hashes]);
  }

  get size(): number {
    return this.size_;
  }

  get nodes(): readonly Buffer[] {
    return this.hashes;
  }

  append(leafHash: Buffer): CompletedNode[] {
    const index = this.size_;
    const done: CompletedNode[] = [{ level: 0, index, hash: leafHash }];
    let hash = leafHash;
    let level = 0;
    // Each trailing 1-bit of the old size merges one more level (arithmetic, not bit
    // operators: sizes may exceed 2^31).
    while (Math.floor(index / 2 ** level) % 2 === 1) {
      const left = this.hashes.pop()!;
      hash = hashChildren(left, hash);
      level++;
      done.push({ level, index: Math.floor(index / 2 ** level), hash });
    }
    this.hashes.push(hash);
    this.size_++;
    return done;
  }

  /**
   * Appends a complete subtree of 2^level leaves (its hash) at the current right edge; the size
   * must be a multiple of 2^level. Merging compact ranges this way is how a range proof is checked.
   */
  appendSubtree(level: number, hash: Buffer): void {
    const width = 2 ** level;
    if (this.size_ % width !== 0) throw new Error('subtree is not aligned with the tree size');
    let index = this.size_ / width;
    let h = hash;
    while (index % 2 === 1) {
      h = hashChildren(this.hashes.pop()!, h);
      index = Math.floor(index / 2);
    }
    this.hashes.push(h);
    this.size_ += width;
  }

  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let r = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) r = hashChildren(this.hashes[i]!, r);
    return r;
  }
}

/** Levels of the frontier subtrees of a tree of `size` leaves, largest first. */
export function frontierLevels(size: number): number[] {
  const out: number[] = [];
  for (let level = 52; level >= 0; level--) if (Math.floor(size / 2 ** level) % 2 === 1) out.push(level);
  return out;
}

// ---------------------------------------------------------------- range (completeness) proofs

/**
 * Range proofs: leaves [start, end) of a tree of `size` leaves are proven complete and in order
 * by recomputing the root from (a) the compact range [0, start) — the frontier of `start`, one
 * complete subtree per set bit, largest first, (b) every leaf of the range, and (c) the compact
 * range [end, size) — the largest aligned complete subtrees left to right. Any leaf removed,
 * added, changed or moved inside the range changes the root. The idea is that of "compact
 * ranges" in transparency-log code (transparency-dev/merkle `compact`, Go sumdb `tlog`); with
 * RFC 6962 trees (split at the largest power of two) folding the frontier right to left gives
 * the same root as MTH, which is what Frontier.root() relies on already.
 */
export interface RangeProofPlan {
  left: NodeRef[];
  right: NodeRef[];
}

export function rangeProofPlan(start: number, end: number, size: number): RangeProofPlan {
  if (![start, end, size].every(Number.isSafeInteger) || start < 0 || start > end || end > size) throw new Error('invalid range');
  const left: NodeRef[] = [];
  let offset = 0;
  for (const level of frontierLevels(start)) {
    left.push({ level, index: offset / 2 ** level });
    offset += 2 ** level;
  }
  return { left, right: rightNodes(end, size) };
}

/** The largest aligned complete subtrees covering [from, size), left to right. */
function rightNodes(from: number, size: number): NodeRef[] {
  const out: NodeRef[] = [];
  let pos = from;
  while (pos < size) {
    let level = 0;
    while (pos % 2 ** (level + 1) === 0 && pos + 2 ** (level + 1) <= size) level++;
    out.push({ level, index: pos / 2 ** level });
    pos += 2 ** level;
  }
  return out;
}

/**
 * The root of a tree of `size` leaves whose leaves [start, start + leaves.length) are `leaves`,
 * given the left and right boundary hashes of a range proof; undefined when the proof has the
 * wrong shape. Compare the result with a signed root.
 */
export function rootFromRange(start: number, size: number, left: readonly Buffer[], leaves: readonly Buffer[], right: readonly Buffer[]): Buffer | undefined {
  const end = start + leaves.length;
  if (![start, size].every(Number.isSafeInteger) || start < 0 || end > size) return undefined;
  if ([...left, ...leaves, ...right].some((h) => h.length !== HASH_BYTES)) return undefined;
  const plan = rangeProofPlan(start, end, size);
  if (plan.left.length !== left.length || plan.right.length !== right.length) return undefined;
  const f = Frontier.of(start, [...left]);
  for (const leaf of leaves) f.append(leaf);
  plan.right.forEach((ref, i) => f.appendSubtree(ref.level, right[i]!));
  return f.size === size ? f.root() : undefined;
}

// ---------------------------------------------------------------- proofs from stored subtrees

/**
 * How to compute the hash of leaves [a, b): one stored complete subtree, or the combination of
 * two ranges. Proofs are planned first (which subtrees are needed), fetched in one query,
 * then evaluated.
 */
export type RangeSpec = { node: NodeRef } | { left: RangeSpec; right: RangeSpec };

export function rangeSpec(a: number, b: number): RangeSpec {
  const n = b - a;
  if (n <= 0) throw new Error('empty range');
  if (isPowerOfTwo(n) && a % n === 0) return { node: { level: Math.log2(n), index: a / n } };
  const k = splitPoint(n);
  return { left: rangeSpec(a, a + k), right: rangeSpec(a + k, b) };
}

/** RFC 6962 §2.1.1 PATH(m, D[n]) as range specs, leaf level first. */
export function inclusionPlan(index: number, size: number): RangeSpec[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) throw new Error('leaf index out of range');
  const path: RangeSpec[] = [];
  const walk = (m: number, lo: number, hi: number): void => {
    const n = hi - lo;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, lo, lo + k);
      path.push(rangeSpec(lo + k, hi));
    } else {
      walk(m - k, lo + k, hi);
      path.push(rangeSpec(lo, lo + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]) as range specs. Empty when old is 0 or equals new. */
export function consistencyPlan(oldSize: number, newSize: number): RangeSpec[] {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) throw new Error('invalid tree sizes');
  if (oldSize === 0 || oldSize === newSize) return [];
  const proof: RangeSpec[] = [];
  const sub = (m: number, lo: number, hi: number, complete: boolean): void => {
    const n = hi - lo;
    if (m === n) {
      if (!complete) proof.push(rangeSpec(lo, hi));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, lo, lo + k, complete);
      proof.push(rangeSpec(lo + k, hi));
    } else {
      sub(m - k, lo + k, hi, false);
      proof.push(rangeSpec(lo, lo + k));
    }
  };
  sub(oldSize, 0, newSize, true);
  return proof;
}

export function nodeKey(ref: NodeRef): string {
  return `${ref.level}:${ref.index}`;
}

/** Every stored subtree a set of specs needs. */
export function neededNodes(specs: readonly RangeSpec[]): NodeRef[] {
  const seen = new Map<string, NodeRef>();
  const visit = (s: RangeSpec) => {
    if ('node' in s) seen.set(nodeKey(s.node), s.node);
    else {
      visit(s.left);
      visit(s.right);
    }
  };
  specs.forEach(visit);
  return [...seen.values()];
}

export function evaluate(spec: RangeSpec, nodes: ReadonlyMap<string, Buffer>): Buffer {
  if ('node' in spec) {
    const h = nodes.get(nodeKey(spec.node));
    if (!h) throw new MissingNodeError(spec.node);
    return h;
  }
  return hashChildren(evaluate(spec.left, nodes), evaluate(spec.right, nodes));
}

export class MissingNodeError extends Error {
  constructor(readonly ref: NodeRef) {
    super(`Merkle node ${ref.level}:${ref.index} is missing`);
  }
}

// ---------------------------------------------------------------- verification (RFC 9162)

/** RFC 9162 §2.1.3.2. Rejects malformed input (sizes, lengths) instead of throwing. */
export function verifyInclusion(leafHash: Buffer, index: number, size: number, path: readonly Buffer[], root: Buffer): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (leafHash.length !== HASH_BYTES || root.length !== HASH_BYTES || path.some((p) => p.length !== HASH_BYTES)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2, plus the trivial cases (equal sizes, empty old tree). */
export function verifyConsistency(oldSize: number, newSize: number, path: readonly Buffer[], oldRoot: Buffer, newRoot: Buffer): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldRoot.length !== HASH_BYTES || newRoot.length !== HASH_BYTES || path.some((p) => p.length !== HASH_BYTES)) return false;
  if (oldSize === newSize) return path.length === 0 && oldRoot.equals(newRoot);
  if (oldSize === 0) return path.length === 0;
  if (path.length === 0) return false;
  const c = isPowerOfTwo(oldSize) ? [oldRoot, ...path] : [...path];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = c[0]!;
  let sr = c[0]!;
  for (const p of c.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(p, fr);
      sr = hashChildren(p, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sr, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0;
}

export function hex(b: Buffer): string {
  return b.toString('hex');
}

/** Strict lower-case 64-hex-digit hash; anything else → undefined. */
export function fromHex(s: unknown): Buffer | undefined {
  return typeof s === 'string' && /^[0-9a-f]{64}$/.test(s) ? Buffer.from(s, 'hex') : undefined;
}
