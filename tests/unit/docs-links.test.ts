/**
 * The repository stands alone: a clone has nothing beside it. Every relative link in the README and
 * the docs resolves to a file (and a heading) inside the repository, every "docs/<file>.md §N" cited
 * by the code names a numbered section that exists, and nothing points at the first design drawing
 * that lived outside the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SKIPPED = new Set(['node_modules', '.output', '.wxt', '.git', 'test-artifacts', 'data', 'dist']);

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path, keep) : keep(path) ? [path] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

const headingsOf = (markdown: string) =>
  [...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchorOf(match[1]!));

/** Links of a Markdown text that should resolve here: relative, not web addresses or mail. */
function brokenLinksOf(path: string, markdown: string, read: (path: string) => string | undefined) {
  const broken: string[] = [];
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  for (const [, target] of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue;
    const [file, anchor] = target!.split('#') as [string, string | undefined];
    const targetPath = file === '' ? path : resolve(dirname(path), file);
    if (relative(ROOT, targetPath).startsWith('..')) {
      broken.push(`${target} (outside the repository)`);
      continue;
    }
    const text = read(targetPath);
    if (text === undefined) {
      broken.push(`${target} (no such file)`);
      continue;
    }
    if (anchor && targetPath.endsWith('.md') && !headingsOf(text).includes(anchor)) {
      broken.push(`${target} (no such heading)`);
    }
  }
  return broken;
}

/** What no file may name: the design drawing outside the repository, and its sections. */
const OUTSIDE = /(\.\.\/)+shared\/[\w-]+\.md|belvo-api\.md|DESIGN(\.md| §| section)/;

const readIfThere = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

describe('the repository stands alone', () => {
  it.each([
    ['../shared/DESIGN.md §7', true],
    ['belvo-api.md §2.4', true],
    ['(DESIGN section 4)', true],
    ["import { useI18n } from '../shared/i18n-context.js';", false],
  ])('tells a mention of the outside drawing in %j: %s', (text, found) => {
    expect(OUTSIDE.test(text)).toBe(found);
  });

  it.each([
    ['a link to a missing file', '[x](missing.md)', 1],
    ['a link to a missing heading', '[x](credit-reading.md#no-such-heading)', 1],
    ['a link outside the repository', '[x](../../shared/DESIGN.md)', 1],
    ['a link that resolves', '[x](credit-reading.md)', 0],
    ['a link to a heading that exists', '[x](operating-the-relay.md#configuration-reference)', 0],
    ['a web address', '[x](https://www.funcionpublica.gov.co/)', 0],
  ])('finds %s', (_what, markdown, count) => {
    expect(brokenLinksOf(join(ROOT, 'docs/architecture.md'), markdown, readIfThere)).toHaveLength(count);
  });

  it('resolves every link of the README, the privacy policy and the docs', () => {
    const documents = [
      join(ROOT, 'README.md'),
      join(ROOT, 'PRIVACY.md'),
      ...filesUnder(join(ROOT, 'docs'), (path) => path.endsWith('.md')),
    ];
    expect(documents.length).toBeGreaterThanOrEqual(7);
    const broken = documents.flatMap((path) =>
      brokenLinksOf(path, readFileSync(path, 'utf8'), readIfThere).map(
        (link) => `${relative(ROOT, path)}: ${link}`,
      ),
    );
    expect(broken).toEqual([]);
  });

  it('cites only numbered sections that exist in docs/', () => {
    const sources = filesUnder(ROOT, (path) => /\.(ts|tsx|mjs|sh|md)$/.test(path));
    const cited = sources.flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/docs\/([a-z-]+\.md) §(\d+)/g)].map(([, file, section]) => ({
        where: relative(ROOT, path),
        file: file!,
        section: section!,
      })),
    );
    expect(cited.length).toBeGreaterThan(5);
    const missing = cited.filter(({ file, section }) => {
      const text = readIfThere(join(ROOT, 'docs', file));
      return text === undefined || !new RegExp(`^#{2,3} ${section}(\\.|\\s)`, 'm').test(text);
    });
    expect(missing).toEqual([]);
  });

  it('names nothing outside the repository', () => {
    const sources = filesUnder(
      ROOT,
      (path) => /\.(ts|tsx|mjs|js|sh|md|json|html|css)$/.test(path) && !path.endsWith('package-lock.json'),
    );
    const outside = sources
      .filter((path) => path !== import.meta.filename)
      .filter((path) => OUTSIDE.test(readFileSync(path, 'utf8')))
      .map((path) => relative(ROOT, path));
    expect(outside).toEqual([]);
  });
});
