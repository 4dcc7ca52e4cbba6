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
import { type BatchFileRow, parseBatchFile } from '../../utils/batch/batch-file.js';
import { errorMessage } from '../../utils/locale/i18n.js';
import { csvFileName, toCsv } from '../../utils/report/csv-export.js';
import { personsCsv } from '../../utils/report/person-csv.js';
import { type Summary, summarize } from '../../utils/report/summary/summarize.js';
import type { Settings } from '../../utils/storage/settings.js';
import { SummaryCard, type SummaryHeader } from '../report/summary-card.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';
import { PageRoot } from '../shared/page-root.js';
import { useBusyAction } from '../shared/use-busy-action.js';
import { useFollowBatch } from './use-follow-batch.js';

type Preview = {
  valid: ValidBatchRow[];
  invalid: InvalidBatchRow[];
  /** Each line of the file as it was written, for the preview and what the relay does not keep. */
  file: BatchFileRow[];
};

/** A row left out, in the batch's words (a file has no checkbox to tick). */
const INVALID_KEYS = {
  invalid_cedula: 'batch.invalid.invalid_cedula',
  consent_required: 'batch.invalid.consent_required',
  duplicate_row: 'batch.invalid.duplicate_row',
} as const;

const STATUS_KEYS = {
  pending: 'batch.status.pending',
  running: 'batch.status.running',
  ready: 'batch.status.ready',
  failed: 'batch.status.failed',
  refused: 'batch.status.refused',
  cancelled: 'batch.status.cancelled',
} as const;

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
  const { batch, setBatch, fileLines, setFileLines, followProblem } = useFollowBatch(services);
  const [opened, setOpened] = useState<
    { line: number; summary: Summary; header: SummaryHeader } | undefined
  >();
  const { busy, problem: actionProblem, setProblem, run } = useBusyAction();
  const problem = actionProblem ?? followProblem;

  async function choose(file: File | undefined) {
    setPreview(undefined);
    setFileProblem(undefined);
    setConsent(false);
    if (!file) return;
    const parsed = parseBatchFile(await file.text());
    if (!parsed.ok)
      return setFileProblem(
        parsed.header
          ? `${t(`batch.file.${parsed.problem}`)} ${t('batch.file.headerWas', { header: parsed.header.join(' · ') })}`
          : t(`batch.file.${parsed.problem}`),
      );
    if (parsed.rows.length > BATCH_ROWS_MAX)
      return setFileProblem(t('batch.file.tooMany', { count: parsed.rows.length }));
    setPreview({ ...checkBatchRows(parsed.rows), file: parsed.rows });
  }

  async function start() {
    if (!preview || !consent) return;
    await run(async () => {
      const reply = await services.send({
        type: 'batch.create',
        rows: preview.valid.map(({ line, cedula, consentReference }) => ({ line, cedula, consentReference })),
      });
      if (!reply.ok) return setProblem(errorMessage(t, reply.error.code));
      // Only the lines sent: a row left out keeps nothing.
      const sent = new Set(preview.valid.map((row) => row.line));
      const lines = Object.fromEntries(
        preview.file
          .filter((row) => sent.has(row.line))
          .map((row) => [row.line, { consentReference: row.consentReference, employerNit: row.employerNit }]),
      );
      await services.saveActiveBatch({ id: reply.id, lines });
      setFileLines(lines);
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
                consentReference: fileLines[row.line]?.consentReference,
                employerNit: fileLines[row.line]?.employerNit,
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

  /** One person's summary, read from the relay for this page only (kept nowhere). */
  async function open(row: Batch['rows'][number]) {
    if (!batch || !row.lookupId) return;
    await run(async () => {
      const reply = await services.send({
        type: 'batch.results',
        batchId: batch.id,
        lookupIds: [row.lookupId!],
      });
      if (!reply.ok) return setProblem(errorMessage(t, reply.error.code));
      const report = reply.reports[row.lookupId!];
      if (!report) return;
      setOpened({
        line: row.line,
        header: {
          name: report.owners[0]?.display_name ?? null,
          cedulaMasked: row.cedulaMasked,
          consultedAt: report.consultedAt,
        },
        summary: summarize(report.employments, {
          consultedAt: report.consultedAt,
          policy: settings.indicatorPolicy,
          agreementNit: fileLines[row.line]?.employerNit || null,
        }),
      });
    });
  }

  async function startOver() {
    await services.saveActiveBatch(undefined);
    setOpened(undefined);
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
        <table class="batch-rows">
          <caption>{t('batch.rows')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('batch.line')}</th>
              <th scope="col">{t('batch.cedula')}</th>
              <th scope="col">{t('batch.status')}</th>
              <th scope="col">{t('batch.reason')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('batch.openSummary')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {batch.rows.map((row) => (
              <tr key={row.line}>
                <td>{row.line}</td>
                <td>C.C. {row.cedulaMasked}</td>
                <td>{t(STATUS_KEYS[row.status])}</td>
                <td>
                  {row.errorCode ? errorMessage(t, row.errorCode) : row.reused ? t('batch.reused') : ''}
                </td>
                <td>
                  {row.status === 'ready' && row.lookupId && (
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={t('batch.openRow', { line: row.line })}
                      onClick={() => void open(row)}
                    >
                      {t('batch.openSummary')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {opened && (
          <section class="batch-person" aria-label={t('batch.openedRow', { line: opened.line })}>
            <SummaryCard header={opened.header} summary={opened.summary} />
            <button type="button" onClick={() => setOpened(undefined)}>
              {t('batch.closeRow')}
            </button>
          </section>
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
                  <th scope="col">{t('batch.line')}</th>
                  <th scope="col">{t('batch.value')}</th>
                  <th scope="col">{t('batch.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.invalid.map((row) => (
                  <tr key={row.line}>
                    <td>{row.line}</td>
                    <td>{preview.file.find((line) => line.line === row.line)?.cedula || '—'}</td>
                    <td>{t(INVALID_KEYS[row.code])}</td>
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
