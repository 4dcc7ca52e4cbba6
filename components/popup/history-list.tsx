import { useMemo, useState } from 'preact/hooks';
import { formatDateTime } from '../../utils/locale/format.js';
import type { CachedLookup } from '../../utils/storage/lookup-cache.js';
import { useI18n } from '../shared/i18n-context.js';

const normalize = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Rows shown at first: a popup (600 px at most) shows about ten; search reaches all of them. */
export const FIRST_PAGE = 20;

/** Recent lookups with search by cédula (any part, dots ignored) or name (accents ignored). */
export function HistoryList({
  lookups,
  onOpen,
  onDelete,
  onExportAll,
}: {
  /** Undefined while the cache is read: the form above is usable meanwhile. */
  lookups: CachedLookup[] | undefined;
  onOpen(lookup: CachedLookup): void;
  onDelete(lookup: CachedLookup): void;
  onExportAll(): void;
}) {
  const { t, language } = useI18n();
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(FIRST_PAGE);
  const shown = useMemo(() => {
    const digits = query.replace(/[.\s]/g, '');
    const words = normalize(query.trim());
    if (!lookups || !words) return lookups ?? [];
    return lookups.filter(
      (lookup) =>
        (/^\d+$/.test(digits) && lookup.cedula.includes(digits)) ||
        normalize(lookup.displayName ?? '').includes(words),
    );
  }, [lookups, query]);

  return (
    <section aria-label={t('history.title')}>
      <div class="row">
        <input
          type="search"
          aria-label={t('history.search')}
          placeholder={t('history.search')}
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
      </div>
      {lookups === undefined ? (
        <p class="hint">{t('history.loading')}</p>
      ) : shown.length === 0 ? (
        <p class="hint">{t('history.empty')}</p>
      ) : (
        <ul class="history">
          {shown.slice(0, limit).map((lookup) => (
            <li key={lookup.id}>
              <span class="who">
                {lookup.displayName ?? lookup.cedulaMasked}
                <small>
                  C.C. {lookup.cedulaMasked} · {formatDateTime(lookup.createdAt, language)}
                </small>
              </span>
              <span class={`badge ${lookup.status}`}>{t(`status.${lookup.status}`)}</span>
              <button
                type="button"
                onClick={() => onOpen(lookup)}
                aria-label={`${t('history.open')} ${lookup.cedulaMasked}`}
              >
                {t('history.open')}
              </button>
              <button
                type="button"
                onClick={() => onDelete(lookup)}
                aria-label={`${t('history.delete')} ${lookup.cedulaMasked}`}
              >
                {t('history.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {shown.length > limit && (
        <div class="row">
          <button type="button" onClick={() => setLimit(limit + 100)}>
            {t('history.more', { count: Math.min(100, shown.length - limit) })}
          </button>
        </div>
      )}
      <div class="row">
        <button
          type="button"
          onClick={onExportAll}
          disabled={!lookups?.some((lookup) => lookup.status === 'ready')}
        >
          {t('export.all')}
        </button>
      </div>
    </section>
  );
}
