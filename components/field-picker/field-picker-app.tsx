/**
 * "Señalar el campo de la cédula": Lupa's frame over the whole CRM page while the analyst points. It
 * takes the pointer (the page hears nothing), asks the background what lies under it, draws the box
 * Lupa would read with the label and value, and on a click shows what would be kept, to save or not.
 * The page sees only that a frame of Lupa's covers it: not the box, the value or the choice.
 */
import { maskCedula } from '@lupa/contract/cedula';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../utils/locale/i18n.js';
import type { PointedFieldView } from '../../utils/messaging/protocol.js';
import type { VisibilityGate, VisibilityState } from '../../utils/overlay/frame-visibility.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';
import { PageRoot } from '../shared/page-root.js';
import { useBusyAction } from '../shared/use-busy-action.js';

type Point = { x: number; y: number };

/** The card's height at the bottom of the page, with its margin: a field below this line sends it up. */
const CARD_CLEARANCE_PX = 240;

/** What the frame needs from around it: watching its card, and asking its page to take it away. */
export type PickerLink = {
  watchVisibility(element: Element): VisibilityGate;
  /** Asks the content script to remove this frame (when the background can no longer do it). */
  leave(): void;
};

function Picker({ services, site, link }: { services: ExtensionServices; site: string; link: PickerLink }) {
  const { t } = useI18n();
  const [hovered, setHovered] = useState<PointedFieldView | null>(null);
  const [chosen, setChosen] = useState<PointedFieldView | null | undefined>();
  const { busy, problem, setProblem, run } = useBusyAction();
  // One question in flight: the pointer's latest place waits for its answer, the ones between are dropped.
  const asking = useRef(false);
  const next = useRef<Point | undefined>();

  const ask = useCallback(
    async (point: Point, choose: boolean) => {
      const reply = await services.send({ type: 'picker.point', ...point, choose });
      if (!reply.ok) {
        setProblem(errorMessage(t, reply.error.code));
        return undefined;
      }
      return reply.field;
    },
    [services, t, setProblem],
  );

  const follow = useCallback(
    async (point: Point) => {
      next.current = point;
      if (asking.current) return;
      asking.current = true;
      try {
        while (next.current) {
          const at = next.current;
          next.current = undefined;
          const field = await ask(at, false);
          if (field !== undefined) setHovered(field);
        }
      } finally {
        asking.current = false;
      }
    },
    [ask],
  );

  const finish = useCallback(
    (save: boolean) =>
      run(async () => {
        const reply = await services.send({ type: 'picker.finish', save });
        if (reply.ok) return;
        // A session that ended (a stopped background, an expiry) has nobody to close this frame:
        // it asks its page, rather than leave the analyst under it.
        if (!save || reply.error.code === 'picker_not_started') return link.leave();
        setProblem(errorMessage(t, reply.error.code));
      }),
    [run, services, t, setProblem, link],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') void finish(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [finish]);

  const shown = chosen === undefined ? hovered : chosen;
  // At the bottom, away from a record's first fields, and at the top when the field it talks about
  // is low on the page; it never moves under the pointer on its own (it would slip from under a
  // click on its buttons).
  const cardBelow = shown
    ? shown.rect.top + shown.rect.height < window.innerHeight - CARD_CLEARANCE_PX
    : true;
  const host = site.replace(/^https?:\/\//, '').replace(/\/\*$/, '');
  const canSave = chosen?.cedula != null && chosen.label !== null && !chosen.otherDocument;

  function why(field: PointedFieldView): string {
    if (!field.value) return t('picker.nothingThere');
    if (field.label === null) return t('picker.noLabel');
    if (field.otherDocument) return t('picker.otherDocument');
    return t('picker.notCedula', { value: field.value });
  }

  // The whole frame is the surface pointed over; the card is Lupa's own and points at nothing.
  const card = useRef<HTMLElement>(null);
  const choosing = chosen === undefined && !busy;
  // Where the browser can tell, a click counts only while the picker has been in full view, uncovered,
  // for a moment (as the panel's "Consultar"): a page that fades or covers it to steer the analyst's
  // clicks chooses and saves nothing. Elsewhere the background has the save confirmed in a window.
  const gate = useRef<VisibilityGate>();
  const [visibility, setVisibility] = useState<VisibilityState>({ visible: false, settled: false });
  useEffect(() => {
    if (!card.current) return;
    const watched = link.watchVisibility(card.current);
    gate.current = watched;
    const unsubscribe = watched.subscribe(setVisibility);
    return () => {
      unsubscribe();
      watched.stop();
    };
  }, [link]);
  const mayAct = () => !gate.current?.tracksOcclusion || gate.current.mayActNow();
  const seen = !gate.current?.tracksOcclusion || (visibility.visible && visibility.settled);

  useEffect(() => {
    const onCard = (event: Event) => card.current?.contains(event.target as Node) === true;
    const onMove = (event: PointerEvent) => {
      if (choosing && !onCard(event)) void follow({ x: event.clientX, y: event.clientY });
    };
    const onClick = (event: MouseEvent) => {
      if (!choosing || onCard(event)) return;
      if (!mayAct()) return setProblem(t('overlay.notVisible'));
      const point = { x: event.clientX, y: event.clientY };
      void run(async () => {
        const field = await ask(point, true);
        if (field !== undefined) setChosen(field);
      });
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('click', onClick);
    return () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('click', onClick);
    };
  }, [choosing, follow, run, ask, setProblem, t]);

  return (
    <div class="picker-surface" data-choosing={choosing ? 'true' : 'false'}>
      {shown && (
        <div
          class={`picker-box${chosen ? ' picker-box-chosen' : ''}`}
          style={{
            left: `${shown.rect.left - 3}px`,
            top: `${shown.rect.top - 3}px`,
            width: `${shown.rect.width + 6}px`,
            height: `${shown.rect.height + 6}px`,
          }}
        />
      )}
      <section
        class={`lupa picker-card${cardBelow ? ' picker-card-below' : ''}`}
        role="dialog"
        aria-labelledby="picker-title"
        ref={card}
      >
        <h1 id="picker-title">{t('picker.title')}</h1>
        <p class="hint">{t('picker.site', { site: host })}</p>
        {chosen === undefined ? (
          <>
            <p>{t('picker.instructions')}</p>
            <p class="hint">
              {hovered
                ? hovered.label
                  ? t('picker.hover', { label: hovered.label, value: hovered.value })
                  : t('picker.hoverNoLabel', { value: hovered.value })
                : t('picker.escape')}
            </p>
          </>
        ) : chosen && canSave ? (
          <p role="status">
            {t('picker.willRead', { cedula: maskCedula(chosen.cedula!), label: chosen.label! })}
          </p>
        ) : (
          <p class="alert" role="alert">
            {chosen ? why(chosen) : t('picker.nothingThere')}
          </p>
        )}
        {problem && (
          <p class="alert" role="alert">
            {problem}
          </p>
        )}
        <div class="row">
          {canSave && (
            <button
              type="button"
              class="primary"
              disabled={busy || !seen}
              onClick={() => {
                if (!mayAct()) return setProblem(t('overlay.notVisible'));
                void finish(true);
              }}
            >
              {t('picker.save')}
            </button>
          )}
          {chosen !== undefined && (
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setChosen(undefined);
                setHovered(null);
              }}
            >
              {t('picker.again')}
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => void finish(false)}>
            {t('picker.cancel')}
          </button>
        </div>
      </section>
    </div>
  );
}

export function FieldPickerApp({
  services,
  site,
  link,
}: {
  services: ExtensionServices;
  site: string;
  link: PickerLink;
}) {
  return (
    <PageRoot services={services}>{() => <Picker services={services} site={site} link={link} />}</PageRoot>
  );
}
