/**
 * The reverse-proxy example in docs/nginx/ is a file an operator can install: Debian's nginx accepts it
 * (`nginx -t`), with its certificate and log paths pointed at a temporary folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../relay-harness.js';

const EXAMPLE = join(PROJECT_ROOT, 'docs/nginx/lupa-relay.conf');
/** Debian puts it in /usr/sbin, which a non-root PATH may not list. */
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
const dir = mkdtempSync(join(tmpdir(), 'lupa-nginx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the nginx example', () => {
  it('passes nginx -t', () => {
    const nginx = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
    if (nginx.error)
      throw new Error(
        'nginx is not installed: apt-get install nginx (.ci/run installs it on a fresh machine)',
      );
    mkdirSync(join(dir, 'ssl'));
    mkdirSync(join(dir, 'logs'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=lupa.banco.com.co',
        '-days',
        '1',
        '-keyout',
        join(dir, 'ssl/privkey.pem'),
        '-out',
        join(dir, 'ssl/fullchain.pem'),
      ],
      { stdio: 'ignore' },
    );
    const example = readFileSync(EXAMPLE, 'utf8');
    const local = example
      .replaceAll('/etc/ssl/lupa/', `${dir}/ssl/`)
      .replaceAll('/var/log/nginx/', `${dir}/logs/`)
      .replace('/run/nginx.pid', `${dir}/nginx.pid`);
    // Every path the example names was pointed here: nothing of the machine's own nginx is read.
    expect(local).not.toMatch(/\/etc\/|\/var\/|\/run\//);
    writeFileSync(join(dir, 'nginx.conf'), local);
    const checked = spawnSync(
      NGINX,
      ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/startup.log')],
      {
        encoding: 'utf8',
      },
    );
    expect(checked.stderr).toContain('test is successful');
    expect(checked.status).toBe(0);
    // The limits the relay documents are the proxy's too.
    expect(example).toMatch(/client_header_timeout 10s;/);
    expect(example).toMatch(/limit_conn lupa_per_client 200;/);
    expect(example).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
  });
});
