/**
 * The batch page (a tab): a payroll agreement's list of applicants, checked row by row before anything
 * is spent, one consent statement for the whole list (each row carries its own reference), progress
 * as the relay runs it, and the two downloads. It follows the batch by id only, so closing the tab, a
 * stopped service worker or a relay restart loses nothing: reopened, it picks the batch up again.
 */
import type { Batch, InvalidBatchRow } from '@lupa/contract';
import { checkBatchRows, type ValidBatchRow } from '@lupa/contract/batch-rows';
import { BATCH_ROWS_MAX } from '@lupa/contract/limits';
import { useId, useState } from 'preact/hooks';
import { parseBatchFile } from '../../utils/batch/batch-file.js';
import { errorMessage } from '../../utils/locale/i18n.js';
import { csvFileName, toCsv } from '../../utils/report/csv-export.js';
import { personsCsv } from '../../utils/report/person-csv.js';
import type { Settings } from '../../utils/storage/settings.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';
import { PageRoot } from '../shared/page-root.js';
import { useBusyAction } from '../shared/use-busy-action.js';
import { useFollowBatch } from './use-follow-batch.js';

type Preview = { valid: ValidBatchRow[]; invalid: InvalidBatchRow[] };

/** Minutes left at the pace so far; undefined until a row has finished. */
export function minutesLeft(batch: Batch, elapsedMs: number): number | undefined {
  const finished = batch.counts.ready + batch.counts.failed;
  const left = batch.counts.pending + batch.counts.running;
  if (finished === 0 || left === 0) return undefined;
  return Math.max(1, Math.round(((elapsedMs / finished) * left) / 60_000));
}

function BatchPage({ services, settings }: { services: ExtensionServices; settings: Settings }) {
  const { t } = useI18n();
  const fileId = useId();
  const consentId = useId();
  const [fileProblem, setFileProblem] = useState<string | undefined>();
  const [preview, setPreview] = useState<Preview | undefined>();
  const [consent, setConsent] = useState(false);
  const { batch, setBatch, followProblem } = useFollowBatch(services);
  const { busy, problem: actionProblem, setProblem, run } = useBusyAction();
  const problem = actionProblem ?? followProblem;

  async function choose(file: File | undefined) {
    setPreview(undefined);
    setFileProblem(undefined);
    setConsent(false);
    if (!file) return;
    const parsed = parseBatchFile(await file.text());
    if (!parsed.ok) return setFileProblem(t(`batch.file.${parsed.problem}`));
    if (parsed.rows.length > BATCH_ROWS_MAX)
      return setFileProblem(t('batch.file.tooMany', { count: parsed.rows.length }));
    setPreview(checkBatchRows(parsed.rows));
  }

  async function start() {
    if (!preview || !consent) return;
    await run(async () => {
      const reply = await services.send({
        type: 'batch.create',
        rows: preview.valid.map(({ line, cedula, consentReference }) => ({ line, cedula, consentReference })),
      });
      if (!reply.ok) return setProblem(errorMessage(t, reply.error.code));
      await services.saveActiveBatch(reply.id);
      setBatch(reply);
    });
  }

  async function cancel() {
    if (!batch) return;
    const reply = await services.send({ type: 'batch.cancel', batchId: batch.id });
    if (reply.ok) setBatch(reply);
    else setProblem(errorMessage(t, reply.error.code));
  }

  async function download(kind: 'persons' | 'months') {
    if (!batch) return;
    await run(async () => {
      const ready = batch.rows.filter((row) => row.status === 'ready' && row.lookupId);
      const reply = await services.send({
        type: 'batch.results',
        batchId: batch.id,
        lookupIds: ready.map((row) => row.lookupId!),
      });
      if (!reply.ok) return setProblem(errorMessage(t, reply.error.code));
      const cedulaOf = (line: number) => reply.cedulas[line] ?? '';
      const reportOf = (lookupId: string | null) => (lookupId ? reply.reports[lookupId] : undefined);
      const content =
        kind === 'persons'
          ? personsCsv(
              batch.rows.map((row) => ({
                line: row.line,
                cedula: cedulaOf(row.line),
                status: row.status,
                errorCode: row.errorCode,
                report: reportOf(row.lookupId) ?? null,
              })),
              settings.csvSeparator,
              t,
              settings.indicatorPolicy,
            )
          : toCsv(
              ready.flatMap((row) => {
                const report = reportOf(row.lookupId);
                return report ? [{ cedula: cedulaOf(row.line), ...report }] : [];
              }),
              settings.csvSeparator,
              t,
            );
      services.download(
        csvFileName(kind === 'persons' ? 'lote-personas' : 'lote-meses'),
        content,
        'text/csv;charset=utf-8',
      );
    });
  }

  async function startOver() {
    await services.saveActiveBatch(undefined);
    setBatch(undefined);
    setPreview(undefined);
    setConsent(false);
  }

  if (batch) {
    const { counts } = batch;
    const running = batch.status === 'running';
    const finished = counts.ready + counts.failed + counts.refused + counts.cancelled;
    const minutes = running ? minutesLeft(batch, Date.now() - Date.parse(batch.createdAt)) : undefined;
    return (
      <main class="lupa batch">
        <h1>{t('batch.title')}</h1>
        <label for="batch-progress">{t('batch.progress')}</label>
        <progress id="batch-progress" max={batch.total} value={finished} />
        <p role="status" aria-live="polite">
          {t('batch.counts', {
            ready: counts.ready,
            running: counts.running,
            failed: counts.failed,
            pending: counts.pending,
          })}
        </p>
        {(counts.refused > 0 || counts.cancelled > 0) && (
          <p class="hint">
            {t('batch.countsOther', { refused: counts.refused, cancelled: counts.cancelled })}
          </p>
        )}
        {minutes !== undefined && <p class="hint">{t('batch.timeLeft', { minutes })}</p>}
        {problem && (
          <p class="alert" role="alert">
            {problem}
          </p>
        )}
        {running ? (
          <button type="button" onClick={() => void cancel()}>
            {t('batch.cancel')}
          </button>
        ) : (
          <>
            <p>{batch.status === 'cancelled' ? t('batch.cancelled') : t('batch.done')}</p>
            <div class="row">
              <button type="button" class="primary" disabled={busy} onClick={() => void download('persons')}>
                {t('batch.downloadPersons')}
              </button>
              <button type="button" disabled={busy} onClick={() => void download('months')}>
                {t('batch.downloadMonths')}
              </button>
              <button type="button" onClick={() => void startOver()}>
                {t('batch.new')}
              </button>
            </div>
          </>
        )}
      </main>
    );
  }

  return (
    <main class="lupa batch">
      <h1>{t('batch.title')}</h1>
      <p class="hint">{t('batch.intro')}</p>
      <label for={fileId}>{t('batch.file')}</label>
      <input
        id={fileId}
        type="file"
        accept=".csv,text/csv"
        onChange={(event) => void choose(event.currentTarget.files?.[0])}
      />
      {fileProblem && (
        <p class="alert" role="alert">
          {fileProblem}
        </p>
      )}
      {preview && (
        <section aria-label={t('batch.invalidTitle')}>
          <p role="status">
            {t('batch.preview', { valid: preview.valid.length, invalid: preview.invalid.length })}
          </p>
          {preview.invalid.length > 0 && (
            <table>
              <caption>{t('batch.invalidTitle')}</caption>
              <thead>
                <tr>
                  <th>{t('batch.line')}</th>
                  <th>{t('batch.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.invalid.map((row) => (
                  <tr key={row.line}>
                    <td>{row.line}</td>
                    <td>{errorMessage(t, row.code)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div class="consent">
            <input
              id={consentId}
              type="checkbox"
              checked={consent}
              onChange={(event) => setConsent(event.currentTarget.checked)}
            />
            <label for={consentId}>{t('batch.consent')}</label>
          </div>
          {problem && (
            <p class="alert" role="alert">
              {problem}
            </p>
          )}
          <button
            type="button"
            class="primary"
            disabled={busy || !consent || preview.valid.length === 0}
            onClick={() => void start()}
          >
            {t('batch.start', { count: preview.valid.length })}
          </button>
        </section>
      )}
    </main>
  );
}

export function BatchApp({ services }: { services: ExtensionServices }) {
  return (
    <PageRoot services={services}>
      {({ settings }) => <BatchPage services={services} settings={settings} />}
    </PageRoot>
  );
}
