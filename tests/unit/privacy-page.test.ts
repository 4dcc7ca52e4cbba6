import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRIVACY_SOURCE, renderPrivacyPage } from '../../privacy-page.js';
import { loadConfig } from '../../relay/src/config.js';
import { DEFAULT_SETTINGS } from '../../utils/storage/settings.js';

const policy = readFileSync(PRIVACY_SOURCE, 'utf8');

describe('PRIVACY.md', () => {
  // What Ley 1581 de 2012 expects a policy to say, in each language.
  it.each([
    [
      'es',
      [
        'Quién es responsable',
        'Qué datos se tratan',
        'Para qué',
        'Cómo se captura la autorización',
        'Dónde se guardan y por cuánto tiempo',
        'Quién los recibe',
        'Derechos del titular y cómo ejercerlos',
      ],
    ],
    [
      'en',
      [
        'Who is responsible',
        'What data',
        'For what purpose',
        'How consent is captured',
        'Where it is stored, and for how long',
        'Who receives it',
        "The applicant's rights, and how to exercise them",
      ],
    ],
  ])('has every section in %s', (_language, headings) => {
    const present = [...policy.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    for (const heading of headings) expect(present).toContain(heading);
  });

  it('names the retention defaults the code uses', () => {
    const relayHours =
      loadConfig({ RELAY_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') }, { requireBelvo: false })
        .retentionMs / 3_600_000;
    expect(policy).toContain(`\`RETENTION_HOURS\`, ${relayHours} hours by default`);
    expect(policy).toContain(`\`RETENTION_HOURS\`, ${relayHours} horas por defecto`);
    expect(policy).toContain(`(${DEFAULT_SETTINGS.retentionDays} por defecto)`);
    expect(policy).toContain(`(${DEFAULT_SETTINGS.retentionDays} by default)`);
  });

  it('renders as a script-free page inside the extension', () => {
    const page = renderPrivacyPage(policy);
    expect(page).toContain('<h1>Política de privacidad de Lupa</h1>');
    expect(page).toContain('<h1>Lupa privacy policy</h1>');
    expect(page).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });
});
