/**
 * PRIVACY.md as a page inside the extension (`privacy.html`), rendered when the extension is built: the
 * options page links to it, and it needs no script, so the extension's CSP applies unchanged.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { marked } from 'marked';

export const PRIVACY_SOURCE = resolve(import.meta.dirname, 'PRIVACY.md');

export const PRIVACY_STYLES = `body { font: 15px/1.55 system-ui, sans-serif; color: #1f2933; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
hr { margin: 2.5rem 0; border: 0; border-top: 1px solid #cbd2d9; }
code { background: #f0f4f8; padding: 0 0.2em; border-radius: 3px; }
`;

export function renderPrivacyPage(markdown: string): string {
  const body = marked.parse(markdown, { async: false });
  return `<!doctype html>
<html lang="es">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Política de privacidad de Lupa · Lupa privacy policy</title>
    <link rel="stylesheet" href="/privacy.css" />
  </head>
  <body>
    <main>
${body}
    </main>
  </body>
</html>
`;
}

export function privacyPageFiles() {
  return [
    { relativeDest: 'privacy.html', contents: renderPrivacyPage(readFileSync(PRIVACY_SOURCE, 'utf8')) },
    { relativeDest: 'privacy.css', contents: PRIVACY_STYLES },
  ];
}
