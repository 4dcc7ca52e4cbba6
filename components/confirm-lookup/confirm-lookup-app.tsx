/**
 * The window in which the analyst confirms a lookup the CRM panel asked for, where the browser cannot
 * tell whether a page covers the panel (Firefox). An extension window: no page can overlay, fade or
 * frame it. It names the cédula and the CRM site, and nothing is sent to the relay before "Confirmar".
 */
import { formatCedula } from '@lupa/contract/cedula';
import { useLayoutEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../utils/locale/i18n.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';
import { PageRoot } from '../shared/page-root.js';
import { useArmedAfterFocus } from '../shared/use-armed-after-focus.js';
import { useBusyAction } from '../shared/use-busy-action.js';

type Asked = { cedula: string; site: string; consentReference: string | null };

function Confirmation({
  services,
  requestId,
  close,
}: {
  services: ExtensionServices;
  requestId: string;
  close(): void;
}) {
  const { t } = useI18n();
  const [asked, setAsked] = useState<Asked | 'expired' | undefined>();
  const { busy, problem, setProblem, run } = useBusyAction();
  const armed = useArmedAfterFocus();

  useLayoutEffect(() => {
    void services.send({ type: 'confirmation.read', requestId }).then((reply) => {
      setAsked(reply.ok ? reply : 'expired');
    });
  }, [services, requestId]);

  const answer = (confirmed: boolean) =>
    run(async () => {
      const reply = await services.send({ type: 'confirmation.answer', requestId, confirmed });
      if (reply.ok) close();
      else setProblem(errorMessage(t, reply.error.code), reply.error.code);
    });

  if (!asked) return null;
  return (
    <main class="lupa confirm-lookup">
      <h1>{t('confirm.title')}</h1>
      {asked === 'expired' ? (
        <>
          <p role="alert">{t('error.confirmation_expired')}</p>
          <button type="button" onClick={close}>
            {t('confirm.close')}
          </button>
        </>
      ) : (
        <>
          <p>{t('confirm.asked', { site: asked.site })}</p>
          <p class="fixed-cedula">{t('lookup.fixedCedula', { cedula: formatCedula(asked.cedula) })}</p>
          {asked.consentReference && <p>{t('confirm.reference', { reference: asked.consentReference })}</p>}
          <p class="hint">{t('confirm.why')}</p>
          {problem && <p role="alert">{problem}</p>}
          <div class="actions">
            <button type="button" class="primary" disabled={busy || !armed} onClick={() => void answer(true)}>
              {t('confirm.yes')}
            </button>
            <button type="button" disabled={busy} onClick={() => void answer(false)}>
              {t('confirm.no')}
            </button>
          </div>
        </>
      )}
    </main>
  );
}

export function ConfirmLookupApp({
  services,
  requestId,
  close,
}: {
  services: ExtensionServices;
  requestId: string;
  close(): void;
}) {
  return (
    <PageRoot services={services}>
      {() => <Confirmation services={services} requestId={requestId} close={close} />}
    </PageRoot>
  );
}
