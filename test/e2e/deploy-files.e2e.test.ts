import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/common/paths.js';
import { loadConfig } from '../../src/config/config.js';

const run = promisify(execFile);
const DOCKER_DIR = join(PROJECT_ROOT, 'docker');
const ENV_EXAMPLE = join(DOCKER_DIR, '.env.example');

interface Service {
  image?: string;
  build?: { dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: (string | { source: string; target: string; read_only?: boolean })[];
  depends_on?: Record<string, { condition: string }>;
  networks?: Record<string, { ipv4_address?: string } | null>;
  ports?: ({ published: number; target: number } | string)[];
  healthcheck?: unknown;
  restart?: string;
}
interface Composed {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** `docker-compose config`: Debian's docker-compose validates and resolves a file without an engine. */
async function resolved(file: string): Promise<Composed> {
  const { stdout } = await run('docker-compose', ['--env-file', ENV_EXAMPLE, '-f', join(DOCKER_DIR, file), 'config'], { cwd: PROJECT_ROOT });
  return parse(stdout) as Composed;
}

function mounts(s: Service): { source: string; target: string; readOnly: boolean }[] {
  return (s.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source, target: v.target, readOnly: !!v.read_only };
    const [source, target, mode] = v.split(':');
    return { source: source!, target: target!, readOnly: mode === 'ro' };
  });
}

/** Services running the API server itself (our image, default command). */
function apiServices(c: Composed): [string, Service][] {
  return Object.entries(c.services).filter(([, s]) => s.image === 'veritrail:local' && !s.command);
}

async function envExampleKeys(): Promise<string[]> {
  const text = await readFile(ENV_EXAMPLE, 'utf8');
  return text
    .split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
    .map((l) => l.slice(0, l.indexOf('=')));
}

describe.each(['compose.yml', 'compose.cluster.yml'])('docker/%s', (file) => {
  let composed: Composed;
  beforeAll(async () => {
    composed = await resolved(file);
  });

  it('is valid, and docker/.env.example lists exactly the values it needs', async () => {
    const text = await readFile(join(DOCKER_DIR, file), 'utf8');
    const used = new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));
    expect([...used].sort()).toEqual((await envExampleKeys()).sort());
  });

  it('gives every API replica a configuration the server accepts in server mode', () => {
    const apis = apiServices(composed);
    expect(apis.length).toBeGreaterThan(0);
    for (const [name, s] of apis) {
      const env = s.environment ?? {};
      expect(env.DATABASE_URL, name).toBeDefined();
      expect(env.CLICKHOUSE_URL, name).toBeDefined();
      // The server's own validation: every variable server mode requires is set and well formed.
      expect(() => loadConfig(env), name).not.toThrow();
      expect(env.HOST, name).toBe('0.0.0.0');
      expect(env.PUBLIC_URL, name).toMatch(/^https?:\/\//);
      expect(s.restart, name).toBe('unless-stopped');
      expect(s.healthcheck, name).toBeDefined();
    }
  });

  it('creates the keys once in a volume every replica reads, and keeps data in volumes', () => {
    const init = composed.services.init!;
    expect(init.command?.slice(-3, -1)).toEqual(['keys', 'init']);
    const keyDir = init.command!.at(-1)!;
    const initMount = mounts(init).find((m) => m.target === keyDir);
    expect(initMount, 'init writes the key directory to a named volume').toBeDefined();
    expect(Object.keys(composed.volumes ?? {})).toContain(initMount!.source);
    for (const [name, s] of apiServices(composed)) {
      const env = s.environment!;
      for (const keyFile of [env.SIGNING_KEYS_FILE!, env.PRIVACY_MASTER_KEY_FILE!]) {
        expect(posix.dirname(keyFile), name).toBe(keyDir);
      }
      expect(mounts(s).find((m) => m.target === keyDir)?.source, name).toBe(initMount!.source);
      expect(s.depends_on?.init?.condition, name).toBe('service_completed_successfully');
      const data = mounts(s).find((m) => m.target === env.DATA_DIR);
      expect(data && Object.keys(composed.volumes ?? {}).includes(data.source), `${name}: DATA_DIR is a named volume`).toBe(true);
    }
    for (const [name, s] of Object.entries(composed.services)) {
      for (const m of mounts(s)) {
        if (m.source.startsWith('/')) expect(existsSync(m.source), `${name} mounts ${m.source}`).toBe(true);
      }
    }
  });
});

describe('docker/compose.cluster.yml wiring', () => {
  let composed: Composed;
  beforeAll(async () => {
    composed = await resolved('compose.cluster.yml');
  });

  it('names a cluster of 2 shards x 2 replicas the ClickHouse nodes define, with unique replica macros', async () => {
    const xml = await readFile(join(DOCKER_DIR, 'clickhouse/cluster.xml'), 'utf8');
    const apis = apiServices(composed);
    expect(apis.length).toBe(2);
    const cluster = apis[0]![1].environment!.CLICKHOUSE_CLUSTER!;
    const block = new RegExp(`<${cluster}>([\\s\\S]*)</${cluster}>`).exec(xml)?.[1];
    expect(block, `cluster ${cluster} is defined in cluster.xml`).toBeDefined();
    const shards = [...block!.matchAll(/<shard>([\s\S]*?)<\/shard>/g)].map((m) => [...m[1]!.matchAll(/<host>([^<]+)<\/host>/g)].map((h) => h[1]!));
    expect(shards.map((s) => s.length)).toEqual([2, 2]);
    const nodes = Object.entries(composed.services).filter(([, s]) => s.image?.startsWith('clickhouse/clickhouse-server'));
    expect(nodes.map(([n]) => n).sort()).toEqual(shards.flat().sort());
    const macros = nodes.map(([n, s]) => ({ n, shard: s.environment!.CH_SHARD, replica: s.environment!.CH_REPLICA }));
    expect(new Set(macros.map((m) => m.replica)).size).toBe(4);
    for (const [i, hosts] of shards.entries()) {
      for (const h of hosts) expect(macros.find((m) => m.n === h)?.shard).toBe(String(i + 1));
    }
    const keepers = [...xml.matchAll(/<zookeeper>([\s\S]*?)<\/zookeeper>/g)].flatMap((m) => [...m[1]!.matchAll(/<host>([^<]+)<\/host>/g)].map((h) => h[1]!));
    for (const k of keepers) expect(composed.services[k]?.image, k).toMatch(/^clickhouse\/clickhouse-keeper/);
    for (const [name, s] of apis) {
      const host = new URL(s.environment!.CLICKHOUSE_URL!).hostname;
      expect(shards.flat(), name).toContain(host);
    }
  });

  it('puts the proxy in front of both replicas, and the replicas trust only its address', async () => {
    const conf = await readFile(join(DOCKER_DIR, 'proxy/nginx.conf'), 'utf8');
    const upstream = [...conf.matchAll(/server\s+([a-z0-9_-]+):8080/g)].map((m) => m[1]!);
    const apis = apiServices(composed);
    expect(upstream.sort()).toEqual(apis.map(([n]) => n).sort());
    const proxyAddress = composed.services.proxy!.networks!.default!.ipv4_address;
    for (const [, s] of apis) expect(s.environment!.TRUST_PROXY).toBe(proxyAddress);
    expect(conf).toContain('$proxy_add_x_forwarded_for');
  });
});

describe('veritrail keys init (the compose init step)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vt-keys-init-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the key files once and keeps them on every later run', async () => {
    const cli = join(PROJECT_ROOT, 'dist/cli/veritrail.js');
    const keys = join(dir, 'keys');
    const first = await run(process.execPath, [cli, 'keys', 'init', keys]);
    expect(first.stdout).toMatch(/created .*signing-keys\.json/);
    expect(first.stdout).toMatch(/created .*privacy-master\.key/);
    expect(first.stdout).toMatch(/created .*note-keys\.json/);
    const files = ['signing-keys.json', 'privacy-master.key', 'note-keys.json'];
    const before = await Promise.all(files.map((f) => readFile(join(keys, f), 'utf8')));
    const second = await run(process.execPath, [cli, 'keys', 'init', keys]);
    expect(second.stdout).toMatch(/kept .*signing-keys\.json/);
    expect(second.stdout).toMatch(/kept .*privacy-master\.key/);
    expect(second.stdout).toMatch(/kept .*note-keys\.json/);
    expect(await Promise.all(files.map((f) => readFile(join(keys, f), 'utf8')))).toEqual(before);
    // A server started with these files accepts them (server-mode validation of the paths).
    expect(
      loadConfig({
        DATABASE_URL: 'postgresql://u:p@db:5432/x',
        CLICKHOUSE_URL: 'http://ch:8123',
        ADMIN_TOKEN: 'x'.repeat(32),
        SIGNING_KEYS_FILE: join(keys, 'signing-keys.json'),
        PRIVACY_MASTER_KEY_FILE: join(keys, 'privacy-master.key'),
      }).integrity.noteKeysFile,
    ).toBe(join(keys, 'note-keys.json'));
  });
});
