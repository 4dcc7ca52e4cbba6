/**
 * "Señalar el campo de la cédula": one picking session at a time, started only by the analyst's
 * click in an extension page (the panel's menu, the options' site list), for a tab on an enabled CRM
 * site. The content script mounts the picker's frame over the page and hands it the session's
 * secret (posted to that frame's window alone); only a frame that shows it may ask what is under the
 * pointer and keep the chosen field. A page can neither start a session (it cannot send extension
 * messages) nor attach a frame of its own to one (it never learns the secret), and what the content
 * script reads of the page goes to the background and the picker's frame only.
 * Kept in storage.session: a worker stopped meanwhile loses nothing.
 */

import { maskCedula } from '@lupa/contract/cedula';
import type { PointedFieldView, PointReply, SenderContext } from '../messaging/protocol.js';
import { type FieldLocator, fieldLocatorFrom } from '../overlay/field-locators.js';

export type PickerSession = {
  tabId: number;
  /** The site's match pattern the locator will belong to. */
  site: string;
  /** Handed to the content script for its frame: a frame the page made of the picker's page has none. */
  secret: string;
  /** The frame that attached first: the only one heard until the session ends. */
  frameId?: number;
  /** What the analyst clicked, kept only when it holds a cédula Lupa could offer (masked, for the window). */
  chosen?: { locator: FieldLocator; cedulaMasked: string };
  /** Saved in the picker, waiting for the analyst's word in Lupa's own window (see `finish`). */
  confirming?: boolean;
  /** Epoch ms; each pointing pushes it back. */
  expiresAt: number;
};

/** A session the analyst walked away from ends by itself. */
export const PICK_WITHIN_MS = 5 * 60_000;

export type PickerRefusal = 'picker_not_started' | 'picker_nothing_chosen' | 'picker_page_gone';

export function createFieldPicker(options: {
  store: {
    load(): Promise<PickerSession | undefined>;
    save(session: PickerSession | undefined): Promise<void>;
  };
  content: {
    open(tabId: number, secret: string): Promise<void>;
    point(tabId: number, x: number, y: number): Promise<PointReply>;
    close(tabId: number): Promise<void>;
  };
  keep(site: string, locator: FieldLocator): Promise<void>;
  now?: () => number;
  newSecret?: () => string;
}) {
  const now = options.now ?? Date.now;
  const newSecret = options.newSecret ?? (() => crypto.randomUUID());
  const live = async () => {
    const session = await options.store.load();
    return session && session.expiresAt > now() ? session : undefined;
  };
  /** The session of this sender's tab, if the sender is its frame (the first to attach). */
  const sessionOf = async (sender: SenderContext) => {
    const session = await live();
    if (!session || session.confirming) return undefined;
    if (session.tabId !== sender.tabId || session.frameId !== sender.frameId) return undefined;
    return session;
  };
  // One change at a time: a choice still in flight must not bring back a session that ended, nor an
  // old frame's attach overwrite a new session.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(change: () => Promise<T>): Promise<T> => {
    const result = queue.then(change);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    /** Opens the picker in `tabId`, ending any other session (its frame is told to close). */
    start(tabId: number, site: string): Promise<void> {
      return serially(async () => {
        const previous = await live();
        if (previous && previous.tabId !== tabId)
          await options.content.close(previous.tabId).catch(() => undefined);
        const secret = newSecret();
        await options.store.save({ tabId, site, secret, expiresAt: now() + PICK_WITHIN_MS });
        await options.content.open(tabId, secret);
      });
    },
    attach(sender: SenderContext, secret: string): Promise<{ site: string } | PickerRefusal> {
      return serially(async () => {
        const session = await live();
        if (!session || session.confirming || session.tabId !== sender.tabId || sender.frameId === undefined)
          return 'picker_not_started';
        if (secret !== session.secret) return 'picker_not_started';
        // Once attached, no other frame is heard, even one holding the secret.
        if (session.frameId !== undefined && session.frameId !== sender.frameId) return 'picker_not_started';
        await options.store.save({ ...session, frameId: sender.frameId });
        return { site: session.site };
      });
    },
    async point(
      sender: SenderContext,
      x: number,
      y: number,
      choose: boolean,
    ): Promise<{ field: PointedFieldView | null } | PickerRefusal> {
      const session = await sessionOf(sender);
      if (!session) return 'picker_not_started';
      // Asked outside the queue: the pointer moves often, and only a choice changes the session.
      const reply = await options.content.point(session.tabId, x, y).catch(() => 'gone' as const);
      if (reply === 'gone') return 'picker_page_gone';
      return serially(async () => {
        const current = await sessionOf(sender);
        if (!current || current.secret !== session.secret) return 'picker_not_started';
        const locator = reply?.locator ? fieldLocatorFrom(reply.locator) : undefined;
        const offered = locator && reply?.field.cedula && !reply.field.otherDocument;
        await options.store.save({
          ...current,
          expiresAt: now() + PICK_WITHIN_MS,
          ...(choose
            ? { chosen: offered ? { locator, cedulaMasked: maskCedula(reply.field.cedula!) } : undefined }
            : {}),
        });
        return { field: reply?.field ?? null };
      });
    },
    /**
     * The analyst's answer in the picker. `confirmElsewhere`: the browser cannot tell whether the page
     * covered the picker (Firefox), so a save waits for the analyst's word in Lupa's own window
     * (`pending`, `confirm`) instead of being kept at once. The picker's frame closes either way, even
     * when its session has ended (the analyst is never left under it).
     */
    finish(
      sender: SenderContext,
      save: boolean,
      confirmElsewhere = false,
    ): Promise<{ saved: boolean; confirming: boolean } | PickerRefusal> {
      return serially(async () => {
        const session = await sessionOf(sender);
        const closeFrame = () =>
          sender.tabId === undefined ? undefined : options.content.close(sender.tabId).catch(() => undefined);
        if (!session) {
          await closeFrame();
          return 'picker_not_started';
        }
        if (save && !session.chosen) return 'picker_nothing_chosen';
        if (save && confirmElsewhere) {
          await options.store.save({ ...session, confirming: true, expiresAt: now() + PICK_WITHIN_MS });
          await closeFrame();
          return { saved: false, confirming: true };
        }
        await options.store.save(undefined);
        if (save && session.chosen) await options.keep(session.site, session.chosen.locator);
        await closeFrame();
        return { saved: save, confirming: false };
      });
    },
    /** What waits for the analyst's word in Lupa's window. */
    async pending(): Promise<{ site: string; label: string; cedulaMasked: string } | undefined> {
      const session = await live();
      if (!session?.confirming || !session.chosen) return undefined;
      return {
        site: session.site,
        label: session.chosen.locator.label,
        cedulaMasked: session.chosen.cedulaMasked,
      };
    },
    /** The analyst's word in Lupa's window: kept, or not. Either way the session ends. */
    confirm(save: boolean): Promise<{ saved: boolean } | PickerRefusal> {
      return serially(async () => {
        const session = await live();
        if (!session?.confirming || !session.chosen) return 'picker_not_started';
        await options.store.save(undefined);
        if (save) await options.keep(session.site, session.chosen.locator);
        return { saved: save };
      });
    },
    /** The tab closed: its session is over. */
    forget(tabId: number): Promise<void> {
      return serially(async () => {
        const session = await options.store.load();
        if (session?.tabId === tabId && !session.confirming) await options.store.save(undefined);
      });
    },
  };
}

export type FieldPicker = ReturnType<typeof createFieldPicker>;
