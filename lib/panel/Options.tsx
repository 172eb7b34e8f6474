/** Settings: which sites are scanned automatically. (Protocol packs and categories: see README.) */
import { useEffect, useState } from 'preact/hooks';
import type { WxtBrowser } from 'wxt/browser';

export function Options({ api }: { api: WxtBrowser }) {
  const [origins, setOrigins] = useState<string[] | null>(null);
  const refresh = () =>
    void api.permissions.getAll().then((p) => setOrigins((p.origins ?? []).filter((o) => o !== '<all_urls>')));
  useEffect(refresh, [api]);
  return (
    <main class="app">
      <h1>Chartlight settings</h1>
      <section aria-labelledby="sites-h">
        <h2 id="sites-h">Sites scanned automatically</h2>
        {origins === null ? (
          <p>Loading…</p>
        ) : origins.length === 0 ? (
          <p>None. Chartlight scans a page only when you ask (toolbar button, context menu or Alt+Shift+C).</p>
        ) : (
          <ul>
            {origins.map((o) => (
              <li key={o}>
                {o}{' '}
                <button type="button" onClick={() => void api.permissions.remove({ origins: [o] }).then(refresh)}>
                  Stop scanning
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
