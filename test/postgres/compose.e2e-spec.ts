import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../../src/config/app-config';
import { REPO_ROOT } from '../support/test-app';

/**
 * docker-compose.yml's replicas, checked as a file: Docker does not run on the machines the tests
 * run on, so no container is started here (see the file's header).
 */
type Service = {
  build?: string;
  image?: string;
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
};

const compose = load(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const replicas = ['replica-a', 'replica-b'].map((name) => ({ name, service: compose.services[name] }));
const nginx = readFileSync(path.join(REPO_ROOT, 'deploy', 'nginx', 'nginx.conf'), 'utf8');

/** ${VAR:-default} as compose substitutes it with the variable unset. */
const substituted = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml: two replicas on one PostgreSQL behind a proxy', () => {
  it('both replicas run the image on the same DATABASE_URL, a valid one for the service, pointing at the postgres service', () => {
    const urls = replicas.map(({ service }) => substituted(service.environment!.DATABASE_URL));
    expect(new Set(urls).size).toBe(1);
    const config = loadConfig({ DATABASE_URL: urls[0] });
    expect(new URL(config.database.url!).hostname).toBe('postgres');
    const postgres = compose.services.postgres;
    expect(postgres.image).toMatch(/^postgres:15/);
    expect(new URL(urls[0]).username).toBe(postgres.environment!.POSTGRES_USER);
    expect(new URL(urls[0]).pathname).toBe(`/${postgres.environment!.POSTGRES_DB}`);
    expect(substituted(postgres.environment!.POSTGRES_PASSWORD)).toBe(new URL(urls[0]).password);
    for (const { service } of replicas) {
      expect(service.image).toBe('self-healing-ml');
      expect((service.depends_on as Record<string, { condition: string }>).postgres.condition).toBe('service_healthy');
    }
    expect(postgres.healthcheck!.test.join(' ')).toContain('pg_isready');
  });

  it('each replica has its own storage volume (its own inference.log), and every named volume is declared', () => {
    const storages = replicas.map(({ service }) => service.volumes!.find((v) => v.endsWith(':/app/storage')));
    expect(storages.every(Boolean)).toBe(true);
    expect(new Set(storages).size).toBe(2);
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect([volume, existsSync(path.join(REPO_ROOT, source))]).toEqual([volume, true]);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  it('the proxy publishes port 5000 and balances over both replicas, never retrying a POST on the other', () => {
    const proxy = compose.services.service;
    expect(proxy.image).toMatch(/^nginx:/);
    expect(proxy.ports).toEqual(['5000:5000']);
    expect(proxy.volumes).toContain('./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
    const upstream = /upstream replicas \{([^}]*)\}/.exec(nginx)![1];
    const servers = [...upstream.matchAll(/server ([\w-]+):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers).toEqual(['replica-a:5000', 'replica-b:5000']);
    expect(nginx).toMatch(/listen 5000;/);
    expect(nginx).toMatch(/proxy_pass http:\/\/replicas;/);
    expect(nginx).not.toMatch(/non_idempotent/);
    // Braces balance: the file is at least well nested.
    expect((nginx.match(/\{/g) ?? []).length).toBe((nginx.match(/\}/g) ?? []).length);
  });
});
