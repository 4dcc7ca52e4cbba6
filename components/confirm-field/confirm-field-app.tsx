/**
 * Where the browser cannot tell whether a page covered the field picker (Firefox), the field the
 * analyst saved there is kept only once they confirm it here: an extension window no page can
 * overlay, fade or frame, naming the site, the label and the cédula Lupa would read.
 */
import { useLayoutEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../utils/locale/i18n.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';
import { PageRoot } from '../shared/page-root.js';
import { useArmedAfterFocus } from '../shared/use-armed-after-focus.js';
import { useBusyAction } from '../shared/use-busy-action.js';

type Pending = { site: string; label: string; cedulaMasked: string };

function Confirmation({ services, close }: { services: ExtensionServices; close(): void }) {
  const { t } = useI18n();
  const [pending, setPending] = useState<Pending | 'expired' | undefined>();
  const { busy, problem, setProblem, run } = useBusyAction();
  const armed = useArmedAfterFocus();

  useLayoutEffect(() => {
    void services.send({ type: 'picker.pending' }).then((reply) => setPending(reply.ok ? reply : 'expired'));
  }, [services]);

  const answer = (save: boolean) =>
    run(async () => {
      const reply = await services.send({ type: 'picker.confirm', save });
      if (reply.ok) close();
      else setProblem(errorMessage(t, reply.error.code), reply.error.code);
    });

  if (!pending) return null;
  const host = pending === 'expired' ? '' : pending.site.replace(/^https?:\/\//, '').replace(/\/\*$/, '');
  return (
    <main class="lupa confirm-lookup">
      <h1>{t('confirmField.title')}</h1>
      {pending === 'expired' ? (
        <>
          <p role="alert">{t('error.picker_not_started')}</p>
          <button type="button" onClick={close}>
            {t('confirm.close')}
          </button>
        </>
      ) : (
        <>
          <p>{t('picker.willRead', { cedula: pending.cedulaMasked, label: pending.label })}</p>
          <p>{t('picker.site', { site: host })}</p>
          <p class="hint">{t('confirmField.why')}</p>
          {problem && <p role="alert">{problem}</p>}
          <div class="actions">
            <button type="button" class="primary" disabled={busy || !armed} onClick={() => void answer(true)}>
              {t('picker.save')}
            </button>
            <button type="button" disabled={busy} onClick={() => void answer(false)}>
              {t('picker.cancel')}
            </button>
          </div>
        </>
      )}
    </main>
  );
}

export function ConfirmFieldApp({ services, close }: { services: ExtensionServices; close(): void }) {
  return <PageRoot services={services}>{() => <Confirmation services={services} close={close} />}</PageRoot>;
}
