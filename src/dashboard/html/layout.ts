import { SafeHtml, html } from './html';

/** The dashboard's pages, in the order of its navigation. */
export const PAGES = [
  { path: '/dashboard', title: 'Overview' },
  { path: '/dashboard/drift', title: 'Drift' },
  { path: '/dashboard/history', title: 'Over time' },
  { path: '/dashboard/models', title: 'Models' },
  { path: '/dashboard/replays', title: 'Replays' },
] as const;

export type PagePath = (typeof PAGES)[number]['path'];

/** Seconds between the page's refreshes (dashboard.js fetches the page again and swaps its content). */
export const REFRESH_SECONDS = 5;

/**
 * A whole page: navigation, the content in <main id="content">, the stylesheet and the refresh
 * script from our own origin (the CSP allows no inline script), and a meta refresh without script.
 */
export function page(title: string, current: PagePath, content: SafeHtml, generatedAt: string): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Self-healing ML</title>
        <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
        <script src="/dashboard/assets/dashboard.js" defer></script>
        <noscript><meta http-equiv="refresh" content="${REFRESH_SECONDS * 2}" /></noscript>
      </head>
      <body data-refresh-seconds="${REFRESH_SECONDS}">
        <header>
          <a class="brand" href="/dashboard">Self-healing ML</a>
          <nav>${PAGES.map((p) => html`<a href="${p.path}" ${p.path === current ? html` aria-current="page"` : ''}>${p.title}</a>`)}</nav>
          <span id="refresh-state" class="refresh" aria-live="polite"></span>
        </header>
        <main id="content" data-generated-at="${generatedAt}">
          <h1>${title}</h1>
          ${content}
          <p class="footnote">
            As of ${generatedAt} (UTC); refreshes every ${REFRESH_SECONDS} s. Read-only: the JSON is at
            <a href="/monitoring/status">/monitoring/status</a>, <a href="/monitoring/drift">/monitoring/drift</a>,
            <a href="/monitoring/performance">/monitoring/performance</a>, <a href="/models">/models</a>,
            <a href="/models/events">/models/events</a>, <a href="/metrics">/metrics</a>; the API at <a href="/docs">/docs</a>.
          </p>
        </main>
      </body>
    </html> `.value;
}

/** A short message page (an unknown feature, a missing report). */
export function messagePage(title: string, current: PagePath, message: string, generatedAt: string): string {
  return page(title, current, html`<p class="notice">${message}</p>`, generatedAt);
}
