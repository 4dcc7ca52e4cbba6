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
import type { PointedFieldView, PointReply, SenderContext } from '../messaging/protocol.js';
import type { FieldLocator } from '../overlay/field-locators.js';

export type PickerSession = {
  tabId: number;
  /** The site's match pattern the locator will belong to. */
  site: string;
  /** Handed to the content script for its frame: a frame the page made of the picker's page has none. */
  secret: string;
  /** The frame that attached first: the only one heard until the session ends. */
  frameId?: number;
  /** What the analyst clicked, kept only when it holds a cédula Lupa could offer. */
  chosen?: FieldLocator;
  /** Epoch ms. */
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
    if (!session || session.tabId !== sender.tabId || session.frameId !== sender.frameId) return undefined;
    return session;
  };
  return {
    /** Opens the picker in `tabId`, ending any other session (its frame is told to close). */
    async start(tabId: number, site: string): Promise<void> {
      const previous = await live();
      if (previous && previous.tabId !== tabId)
        await options.content.close(previous.tabId).catch(() => undefined);
      const secret = newSecret();
      await options.store.save({ tabId, site, secret, expiresAt: now() + PICK_WITHIN_MS });
      await options.content.open(tabId, secret);
    },
    async attach(sender: SenderContext, secret: string): Promise<{ site: string } | PickerRefusal> {
      const session = await live();
      if (!session || session.tabId !== sender.tabId || sender.frameId === undefined)
        return 'picker_not_started';
      if (secret !== session.secret) return 'picker_not_started';
      // Once attached, no other frame is heard, even one holding the secret.
      if (session.frameId !== undefined && session.frameId !== sender.frameId) return 'picker_not_started';
      await options.store.save({ ...session, frameId: sender.frameId });
      return { site: session.site };
    },
    async point(
      sender: SenderContext,
      x: number,
      y: number,
      choose: boolean,
    ): Promise<{ field: PointedFieldView | null } | PickerRefusal> {
      const session = await sessionOf(sender);
      if (!session) return 'picker_not_started';
      const reply = await options.content.point(session.tabId, x, y).catch(() => 'gone' as const);
      if (reply === 'gone') return 'picker_page_gone';
      if (choose) {
        const offered = reply?.locator && reply.field.cedula !== null && !reply.field.otherDocument;
        await options.store.save({ ...session, chosen: offered ? reply.locator! : undefined });
      }
      return { field: reply?.field ?? null };
    },
    async finish(sender: SenderContext, save: boolean): Promise<{ saved: boolean } | PickerRefusal> {
      const session = await sessionOf(sender);
      if (!session) return 'picker_not_started';
      if (save && !session.chosen) return 'picker_nothing_chosen';
      await options.store.save(undefined);
      if (save && session.chosen) await options.keep(session.site, session.chosen);
      await options.content.close(session.tabId).catch(() => undefined);
      return { saved: save };
    },
    /** The tab closed or loaded another page: its session is over. */
    async forget(tabId: number): Promise<void> {
      const session = await options.store.load();
      if (session?.tabId === tabId) await options.store.save(undefined);
    },
  };
}

export type FieldPicker = ReturnType<typeof createFieldPicker>;
