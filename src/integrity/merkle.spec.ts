import { describe, expect, it } from 'vitest';
import {
  consistencyPlan,
  EMPTY_ROOT,
  evaluate,
  Frontier,
  frontierLevels,
  hashChildren,
  hashLeaf,
  inclusionPlan,
  neededNodes,
  nodeKey,
  rangeProofPlan,
  rootFromRange,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

// RFC 6962 reference vectors (the leaf inputs, node and root hashes used by the transparency-dev
// merkle test suite; facts, re-typed here).
const h = (s: string) => Buffer.from(s, 'hex');
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(h);
const INCLUSION: [leaf: number, size: number, path: string[]][] = [
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];
const CONSISTENCY: [oldSize: number, newSize: number, path: string[]][] = [
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
];

/** Straight from the definition, for cross-checking. */
function mth(leafHashes: Buffer[]): Buffer {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  if (leafHashes.length === 1) return leafHashes[0]!;
  const k = splitPoint(leafHashes.length);
  return hashChildren(mth(leafHashes.slice(0, k)), mth(leafHashes.slice(k)));
}

/** Builds every stored node a tree of these leaves would have, as the sealer persists them. */
function storeFor(leafHashes: Buffer[]): Map<string, Buffer> {
  const f = Frontier.empty();
  const nodes = new Map<string, Buffer>();
  for (const l of leafHashes) for (const n of f.append(l)) nodes.set(nodeKey(n), n.hash);
  return nodes;
}

const leafHashes = LEAVES.map(hashLeaf);

describe('RFC 6962 tree hashing', () => {
  it('matches the reference root for every size 0..8', () => {
    const f = Frontier.empty();
    expect(f.root()).toEqual(ROOTS[0]);
    for (let n = 1; n <= 8; n++) {
      f.append(leafHashes[n - 1]!);
      expect(f.root().toString('hex'), `size ${n}`).toBe(ROOTS[n]!.toString('hex'));
      expect(mth(leafHashes.slice(0, n))).toEqual(ROOTS[n]);
    }
  });

  it('restores a frontier from its stored hashes', () => {
    const f = Frontier.empty();
    for (const l of leafHashes.slice(0, 7)) f.append(l);
    const g = Frontier.of(7, [...f.nodes]);
    g.append(leafHashes[7]!);
    expect(g.root()).toEqual(ROOTS[8]);
    expect(frontierLevels(7)).toEqual([2, 1, 0]);
    expect(() => Frontier.of(7, [ROOTS[1]!])).toThrow();
  });

  it('agrees with the definition for random trees up to 130 leaves', () => {
    const many = Array.from({ length: 130 }, (_, i) => hashLeaf(Buffer.from(`leaf-${i}`)));
    const f = Frontier.empty();
    for (let n = 1; n <= many.length; n++) {
      f.append(many[n - 1]!);
      expect(f.root()).toEqual(mth(many.slice(0, n)));
    }
  });
});

describe('inclusion proofs', () => {
  it.each(INCLUSION)('reference vector: leaf %i of %i', (leaf, size, path) => {
    const nodes = storeFor(leafHashes.slice(0, size));
    const got = inclusionPlan(leaf, size).map((s) => evaluate(s, nodes).toString('hex'));
    expect(got).toEqual(path);
    expect(verifyInclusion(leafHashes[leaf]!, leaf, size, path.map(h), ROOTS[size]!)).toBe(true);
  });

  it('every leaf of every tree up to 70 leaves proves against its root', () => {
    const many = Array.from({ length: 70 }, (_, i) => hashLeaf(Buffer.from(`l${i}`)));
    for (let size = 1; size <= many.length; size++) {
      const nodes = storeFor(many.slice(0, size));
      const root = mth(many.slice(0, size));
      for (let i = 0; i < size; i++) {
        const path = inclusionPlan(i, size).map((s) => evaluate(s, nodes));
        expect(verifyInclusion(many[i]!, i, size, path, root)).toBe(true);
      }
    }
  });

  it('plans fetch only stored complete subtrees, O(log n) of them', () => {
    const refs = neededNodes(inclusionPlan(1_000_000, 1_500_001));
    expect(refs.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1_500_001)));
    for (const r of refs) expect(Number.isInteger(r.index)).toBe(true);
  });

  describe('IG-05: adversarial inclusion proofs are rejected', () => {
    const [leaf, size, pathHex] = INCLUSION[1]!;
    const path = pathHex.map(h);
    const root = ROOTS[size]!;
    const lh = leafHashes[leaf]!;
    const flip = (b: Buffer) => {
      const c = Buffer.from(b);
      c[0]! ^= 8;
      return c;
    };
    const cases: [string, () => boolean][] = [
      ['leaf index − 1', () => verifyInclusion(lh, leaf - 1, size, path, root)],
      ['leaf index + 1', () => verifyInclusion(lh, leaf + 1, size, path, root)],
      ['index ≥ size', () => verifyInclusion(lh, size, size, path, root)],
      ['size 0', () => verifyInclusion(lh, 0, 0, [], root)],
      ['tree size doubled', () => verifyInclusion(lh, leaf, size * 2, path, root)],
      ['tree size halved', () => verifyInclusion(lh, leaf, size / 2, path, root)],
      ['wrong leaf', () => verifyInclusion(hashLeaf(Buffer.from('WrongLeaf')), leaf, size, path, root)],
      ['empty-tree root', () => verifyInclusion(lh, leaf, size, path, EMPTY_ROOT)],
      ['path too short', () => verifyInclusion(lh, leaf, size, path.slice(0, -1), root)],
      ['path too long (trailing root)', () => verifyInclusion(lh, leaf, size, [...path, root], root)],
      ['preceding garbage', () => verifyInclusion(lh, leaf, size, [EMPTY_ROOT, ...path], root)],
      ['swapped siblings', () => verifyInclusion(lh, leaf, size, [path[1]!, path[0]!, path[2]!], root)],
      ['one bit flipped in each element', () => path.some((_, i) => verifyInclusion(lh, leaf, size, path.map((p, j) => (i === j ? flip(p) : p)), root))],
      ['element of the wrong length', () => verifyInclusion(lh, leaf, size, [path[0]!.subarray(0, 31), path[1]!, path[2]!], root)],
      ['interior node presented as a leaf', () => {
        // The level-1 node over leaves 0,1 with the path of the level-1 node: the 0x00/0x01
        // prefixes make it a different leaf hash, so it cannot pose as leaf 0.
        const nodes = storeFor(leafHashes);
        const interior = nodes.get('1:0')!;
        return verifyInclusion(hashLeaf(interior), 0, 4, inclusionPlan(0, 4).slice(1).map((s) => evaluate(s, nodes)), ROOTS[4]!);
      }],
      ['negative or fractional indexes', () => verifyInclusion(lh, -1, size, path, root) || verifyInclusion(lh, 1.5, size, path, root)],
    ];
    it.each(cases)('%s', (_name, attempt) => {
      expect(attempt()).toBe(false);
    });
    it('…and the untouched proof still verifies', () => {
      expect(verifyInclusion(lh, leaf, size, path, root)).toBe(true);
    });
  });
});

describe('consistency proofs', () => {
  it.each(CONSISTENCY)('reference vector: %i → %i', (oldSize, newSize, path) => {
    const nodes = storeFor(leafHashes.slice(0, newSize));
    expect(consistencyPlan(oldSize, newSize).map((s) => evaluate(s, nodes).toString('hex'))).toEqual(path);
    expect(verifyConsistency(oldSize, newSize, path.map(h), ROOTS[oldSize]!, ROOTS[newSize]!)).toBe(true);
  });

  it('every pair of sizes up to 40 is consistent', () => {
    const many = Array.from({ length: 40 }, (_, i) => hashLeaf(Buffer.from(`c${i}`)));
    const nodes = storeFor(many);
    for (let n = 1; n <= 40; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyPlan(m, n).map((s) => evaluate(s, nodes));
        expect(verifyConsistency(m, n, proof, mth(many.slice(0, m)), mth(many.slice(0, n))), `${m}→${n}`).toBe(true);
      }
    }
  });

  it('IG-02/IG-04: rejects rollback, rewritten history and corrupted proofs', () => {
    const [m, n, pathHex] = CONSISTENCY[1]!;
    const path = pathHex.map(h);
    const oldRoot = ROOTS[m]!;
    const newRoot = ROOTS[n]!;
    expect(verifyConsistency(n, m, path, newRoot, oldRoot)).toBe(false); // time travel
    expect(verifyConsistency(m, n, path, newRoot, oldRoot)).toBe(false); // swapped roots
    expect(verifyConsistency(m, n, [], oldRoot, newRoot)).toBe(false);
    expect(verifyConsistency(m, n, path.slice(0, -1), oldRoot, newRoot)).toBe(false);
    expect(verifyConsistency(m, n, [...path, newRoot], oldRoot, newRoot)).toBe(false);
    expect(verifyConsistency(m - 1, n, path, oldRoot, newRoot)).toBe(false);
    expect(verifyConsistency(m, n * 2, path, oldRoot, newRoot)).toBe(false);
    // A rewritten old tree (split view): same size, different leaves → different old root.
    const forged = mth([...leafHashes.slice(0, 5), hashLeaf(Buffer.from('forged'))]);
    expect(verifyConsistency(m, n, path, forged, newRoot)).toBe(false);
    expect(verifyConsistency(m, m, [], oldRoot, forged)).toBe(false);
    for (let i = 0; i < path.length; i++) {
      const bad = path.map((p, j) => (i === j ? Buffer.from(p.map((b, k) => (k === 0 ? b ^ 16 : b))) : p));
      expect(verifyConsistency(m, n, bad, oldRoot, newRoot)).toBe(false);
    }
  });
});

describe('range (completeness) proofs — PROMISE-07', () => {
  const many = Array.from({ length: 37 }, (_, i) => hashLeaf(Buffer.from(`r${i}`)));
  const proofFor = (start: number, end: number, size: number, nodes: Map<string, Buffer>) => {
    const plan = rangeProofPlan(start, end, size);
    const get = (r: { level: number; index: number }) => nodes.get(nodeKey(r))!;
    return { left: plan.left.map(get), right: plan.right.map(get) };
  };

  it('every range [a, b) of every tree up to 37 leaves recomputes the root from stored subtrees', () => {
    for (let size = 0; size <= many.length; size++) {
      const nodes = storeFor(many.slice(0, size));
      const root = mth(many.slice(0, size));
      for (let a = 0; a <= size; a++) {
        for (let b = a; b <= size; b++) {
          const { left, right } = proofFor(a, b, size, nodes);
          expect(left.every(Boolean) && right.every(Boolean), `nodes of ${a}..${b}/${size} are stored`).toBe(true);
          expect(rootFromRange(a, size, left, many.slice(a, b), right), `${a}..${b}/${size}`).toEqual(root);
        }
      }
    }
  });

  it('the whole tree needs no boundary hashes; proofs stay O(log n)', () => {
    expect(rangeProofPlan(0, 1000, 1000)).toEqual({ left: [], right: [] });
    const p = rangeProofPlan(123_457, 234_567, 1_000_003);
    expect(p.left.length + p.right.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1_000_003)));
  });

  it('a leaf removed, added, changed, moved or cut off the end no longer recomputes the root', () => {
    const size = 29;
    const nodes = storeFor(many.slice(0, size));
    const root = mth(many.slice(0, size));
    const [a, b] = [5, 21];
    const { left, right } = proofFor(a, b, size, nodes);
    const range = many.slice(a, b);
    const swapped = [...range];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const attempts: [string, Buffer | undefined][] = [
      ['deleted', rootFromRange(a, size, left, [...range.slice(0, 6), ...range.slice(7)], right)],
      ['inserted', rootFromRange(a, size, left, [...range.slice(0, 6), hashLeaf(Buffer.from('forged')), ...range.slice(6)], right)],
      ['changed', rootFromRange(a, size, left, range.map((l, i) => (i === 2 ? hashLeaf(Buffer.from('changed')) : l)), right)],
      ['reordered', rootFromRange(a, size, left, swapped, right)],
      ['truncated', rootFromRange(a, size, left, range.slice(0, -1), right)],
      ['shifted start', rootFromRange(a + 1, size, left, range, right)],
      ['boundary hash dropped', rootFromRange(a, size, left.slice(1), range, right)],
    ];
    for (const [name, got] of attempts) expect(got?.equals(root) ?? false, name).toBe(false);
    expect(rootFromRange(a, size, left, range, right)).toEqual(root);
  });
});
