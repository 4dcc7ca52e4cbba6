/**
 * Everything the background service worker does, wired to the browser: the message protocol (with
 * privilege decided by the sender), the lookup poller, the keep-awake alarm, badge and notifications.
 * The entrypoint only calls startBackgroundService().
 */

import type { Employment, Me, Owner, Role } from '@lupa/contract';
import { parseCedula } from '@lupa/contract/cedula';
import type { Runtime } from 'webextension-polyfill';
import { browser } from 'wxt/browser';
import { translator } from '../locale/i18n.js';
import {
  type BackgroundHandlers,
  type BackgroundToContent,
  type BackgroundToPages,
  type CacheOfCedula,
  dispatch,
  FOCUS_PANEL_COMMAND,
  isAllowed,
  POPUP_PORT,
  type PointReply,
  type SenderContext,
  type ShownCedulas,
  senderKindOf,
} from '../messaging/protocol.js';
import { type FieldLocator, fieldLocatorFrom } from '../overlay/field-locators.js';
import { PANEL_CONFIRMS_IN_WINDOW } from '../overlay/frame-visibility.js';
import { patternOfOrigin } from '../overlay/match-patterns.js';
import {
  contentScriptMatches,
  grantedCrmPatterns,
  originMatches,
  syncCrmContentScript,
} from '../overlay/site-registration.js';
import { loadFollowedLookups, saveFollowedLookups } from '../storage/followed-lookups.js';
import { type LookupCache, openLookupCache } from '../storage/lookup-cache.js';
import { saveRelayPolicies } from '../storage/relay-policies.js';
import { loadRelaySession, saveRelaySession } from '../storage/relay-session-store.js';
import {
  capPerSite,
  isConfigured,
  loadSettings,
  normalizeRelayUrl,
  type Settings,
  saveSettings,
} from '../storage/settings.js';
import { type CrmTab, createCrmTabs, recordFactsFrom } from './crm-tabs.js';
import { createFieldPicker, type PickerSession } from './field-picker.js';
import { createLookupConfirmations, type PendingLookup } from './lookup-confirmations.js';
import { createLookupPoller, type LookupEvent } from './lookup-poller.js';
import { createRelayClient, RelayError } from './relay-client.js';
import { createRelaySession, SessionError, type StoredSession } from './relay-session.js';

export const POLL_ALARM = 'lupa-follow-pending-lookups';
export const EXPIRE_ALARM = 'lupa-expire-cache';
const CRM_TABS_KEY = 'crmTabs';
const CONFIRMATIONS_KEY = 'lookupConfirmations';
const PICKER_KEY = 'fieldPicker';

/** The locators for a page: the organisation's first, then the analyst's, each checked again. */
export function locatorsForPage(settings: Settings, url: string | undefined): FieldLocator[] {
  if (!url) return [];
  return [...settings.crmFieldLocators, ...settings.fieldLocators].flatMap((locator) => {
    const checked =
      typeof locator?.site === 'string' && originMatches(url, locator.site) && fieldLocatorFrom(locator);
    return checked ? [checked] : [];
  });
}

/** Keeps a field the analyst pointed at for a site: newest first, the same one never twice. */
async function keepLocator(site: string, locator: FieldLocator): Promise<void> {
  const { fieldLocators } = await loadSettings();
  const others = fieldLocators.filter(
    (kept) => !(kept.site === site && kept.label === locator.label && kept.position === locator.position),
  );
  await saveSettings({ fieldLocators: capPerSite([{ site, ...locator }, ...others]) });
}

/**
 * To the extension's pages, and to the CRM panels. Firefox gives an extension frame inside a web page
 * only what is sent to its tab, never runtime messages (w3c/webextensions#35), so there the message
 * also goes to the tab (`tabId`) or to every tab; Chrome gives such a frame runtime messages, and
 * sends tab messages only to content scripts, which ignore these.
 */
async function toPagesAndPanels(message: BackgroundToPages, tabId?: number): Promise<void> {
  // Nobody listening (popup closed, no panel) is normal.
  const sent: Array<Promise<unknown>> = [browser.runtime.sendMessage(message).catch(() => undefined)];
  if (PANELS_HEAR_ONLY_TAB_MESSAGES) {
    // Only the CRM sites' tabs can hold a panel.
    const crmSites = await grantedCrmPatterns((await loadSettings()).crmSites);
    const tabIds =
      tabId !== undefined
        ? [tabId]
        : crmSites.length === 0
          ? []
          : (await browser.tabs.query({ url: contentScriptMatches(crmSites) })).flatMap((tab) =>
              tab.id === undefined ? [] : [tab.id],
            );
    for (const id of tabIds) sent.push(browser.tabs.sendMessage(id, message).catch(() => undefined));
  }
  await Promise.all(sent);
}
const PANELS_HEAR_ONLY_TAB_MESSAGES = import.meta.env.FIREFOX;

/** Tells every tab's content script (where there is one) that its site's locators may have changed. */
async function announceLocators(): Promise<void> {
  const message: BackgroundToContent = { type: 'crm.locators-changed' };
  const tabs = await browser.tabs.query({});
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined
        ? undefined
        : browser.tabs.sendMessage(tab.id, message, { frameId: 0 }).catch(() => undefined),
    ),
  );
}

const relaySession = createRelaySession({
  load: loadRelaySession,
  save: saveRelaySession,
  launchWebAuthFlow: async (url) => {
    const landed = await browser.identity.launchWebAuthFlow({ url, interactive: true });
    if (!landed) throw new Error('the sign-in window closed without an answer');
    return landed;
  },
  redirectUrl: () => browser.identity.getRedirectURL(),
});

/** A signed-in analyst's access token; a session that is over signs them out here too. */
async function sessionToken(relayUrl: string): Promise<string> {
  try {
    const token = await relaySession.accessToken(relayUrl);
    if (token) return token;
    throw new SessionError('session_expired', 'no session for this relay');
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    if (['session_expired', 'session_revoked'].includes(error.code)) await saveSettings({ signedInAs: null });
    throw new RelayError(error.code, error.message);
  }
}

async function relayClient() {
  const settings = await loadSettings();
  if (!isConfigured(settings))
    throw new RelayError('relay_not_configured', 'the relay URL or token is missing');
  const token = settings.analystToken || (await sessionToken(settings.relayUrl));
  return createRelayClient({ baseUrl: settings.relayUrl, token });
}

function failure(error: unknown) {
  if (error instanceof RelayError)
    return { ok: false as const, error: { code: error.code, detail: error.message } };
  return {
    ok: false as const,
    error: { code: 'internal_error', detail: error instanceof Error ? error.message : String(error) },
  };
}

/** A lookup ended while no popup was open: a badge on the toolbar button and a notification. */
export async function notifyFinished(event: Extract<LookupEvent, { kind: 'finished' }>): Promise<void> {
  const t = translator((await loadSettings()).language);
  await browser.action.setBadgeBackgroundColor({ color: event.status === 'ready' ? '#1a7f37' : '#b42318' });
  await browser.action.setBadgeText({ text: event.status === 'ready' ? '✓' : '!' });
  await browser.notifications
    .create(`lupa-${event.lookupId}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title: 'Lupa',
      message:
        event.status === 'ready'
          ? t('notification.ready', { name: event.displayName ?? event.cedulaMasked })
          : t('notification.failed', { cedula: event.cedulaMasked }),
    })
    // A notification the system refuses must not stop the lookup from being recorded.
    .catch(() => undefined);
}

/** What the browser says about a message's sender, in the protocol's terms. */
function senderContext(sender: Runtime.MessageSender, extension: { id: string }): SenderContext {
  return {
    kind: senderKindOf(sender, extension),
    tabId: sender.tab?.id,
    frameId: sender.frameId,
    url: sender.url,
    tabUrl: sender.tab?.url,
  };
}

export function startBackgroundService() {
  const extension = { id: browser.runtime.id };
  let cache: Promise<LookupCache> | undefined;
  const openCache = () => {
    cache ??= openLookupCache();
    return cache;
  };
  const openPopups = new Set<Runtime.Port>();

  async function announce(event: LookupEvent) {
    const message: BackgroundToPages = {
      type: 'lookup.changed',
      lookupId: event.lookupId,
      status: event.status,
    };
    await toPagesAndPanels(message);
    if (event.kind === 'finished' && openPopups.size === 0) await notifyFinished(event);
  }

  const poller = createLookupPoller({
    client: relayClient,
    cache: openCache,
    pending: { load: loadFollowedLookups, save: saveFollowedLookups },
    announce: (event) => void announce(event),
    // Chrome stops an idle worker after ~30 s; the alarm starts it again to carry on polling.
    keepAwake: async (active) => {
      if (active) await browser.alarms.create(POLL_ALARM, { periodInMinutes: 0.5 });
      else await browser.alarms.clear(POLL_ALARM);
    },
  });

  // Where the overlay may run, known until settings or permissions change (syncSites recomputes it).
  let crmPatterns: Promise<string[]> | undefined;
  const crmTabs = createCrmTabs({
    // Session storage: gone with the browser session, kept across service-worker restarts.
    store: {
      load: async () =>
        ((await browser.storage.session.get(CRM_TABS_KEY))[CRM_TABS_KEY] as
          | Record<string, CrmTab>
          | undefined) ?? {},
      save: (tabs) => browser.storage.session.set({ [CRM_TABS_KEY]: tabs }),
    },
    allowedPatterns: () => {
      crmPatterns ??= loadSettings().then((settings) => grantedCrmPatterns(settings.crmSites));
      return crmPatterns;
    },
  });
  const notShownHere = { ok: false as const, error: { code: 'overlay_not_allowed' } };
  const confirmations = createLookupConfirmations({
    load: async () =>
      ((await browser.storage.session.get(CONFIRMATIONS_KEY))[CONFIRMATIONS_KEY] as
        | Record<string, PendingLookup>
        | undefined) ?? {},
    save: (pending) => browser.storage.session.set({ [CONFIRMATIONS_KEY]: pending }),
  });

  const toContent = (tabId: number, message: BackgroundToContent) =>
    browser.tabs.sendMessage(tabId, message, { frameId: 0 });
  const picker = createFieldPicker({
    store: {
      load: async () =>
        (await browser.storage.session.get(PICKER_KEY))[PICKER_KEY] as PickerSession | undefined,
      save: (session) =>
        session
          ? browser.storage.session.set({ [PICKER_KEY]: session })
          : browser.storage.session.remove(PICKER_KEY),
    },
    content: {
      open: async (tabId, secret) => void (await toContent(tabId, { type: 'picker.open', secret })),
      point: async (tabId, x, y) => (await toContent(tabId, { type: 'picker.point', x, y })) as PointReply,
      close: async (tabId) => void (await toContent(tabId, { type: 'picker.close' })),
    },
    keep: keepLocator,
  });
  const refused = (code: string) => ({ ok: false as const, error: { code } });

  const aboutAnalyst = (me: Me) => ({
    name: me.name,
    used: me.usage.lookupsToday,
    limit: me.usage.dailyLimit,
    lender: me.lender?.name ?? null,
    // A relay older than roles served analysts only.
    roles: me.roles ?? (['analyst'] as Role[]),
  });

  async function cacheOfCedula(cedula: string): Promise<CacheOfCedula> {
    const cache = await openCache();
    const lookup = (await cache.latestOfCedula(cedula)) ?? null;
    const report = lookup?.status === 'ready' ? ((await cache.getReport(lookup.id)) ?? null) : null;
    return { lookup, report };
  }

  async function cacheOfFirst(cedulas: string[]): Promise<ShownCedulas['first']> {
    const [cedula] = cedulas;
    return cedula === undefined ? null : { cedula, ...(await cacheOfCedula(cedula)) };
  }

  const handlers: BackgroundHandlers = {
    'lookup.start': async (message, sender) => {
      const parsed = parseCedula(message.cedula);
      if (!parsed.ok) return { ok: false, error: { code: 'invalid_cedula' } };
      // Decided here, not by the frame: where a page could cover the panel unseen, it never spends.
      if (sender.kind === 'overlay-frame' && PANEL_CONFIRMS_IN_WINDOW)
        return { ok: false, error: { code: 'confirm_in_window' } };
      if (!(await crmTabs.mayUse(sender, parsed.cedula))) return notShownHere;
      const outcome = await poller.start({
        cedula: parsed.cedula,
        consentReference: message.consentReference,
        force: message.force,
      });
      return { ok: true, ...outcome };
    },
    'overlay.confirm-lookup': async (message, sender) => {
      const parsed = parseCedula(message.cedula);
      if (!parsed.ok) return { ok: false, error: { code: 'invalid_cedula' } };
      const attached = await crmTabs.attach(sender);
      if (typeof attached === 'string' || !attached.cedulas.includes(parsed.cedula)) return notShownHere;
      const requestId = await confirmations.request({
        cedula: parsed.cedula,
        consentReference: message.consentReference,
        force: message.force,
        site: attached.site,
        tabId: attached.tabId,
      });
      if (!requestId) return { ok: false, error: { code: 'confirmation_pending' } };
      await browser.windows.create({
        url: browser.runtime.getURL(`/confirm-lookup.html?request=${encodeURIComponent(requestId)}`),
        type: 'popup',
        width: 460,
        height: 420,
        focused: true,
      });
      return { ok: true, requestId };
    },
    'confirmation.read': async (message) => {
      const pending = await confirmations.read(message.requestId);
      if (!pending) return { ok: false, error: { code: 'confirmation_expired' } };
      return {
        ok: true,
        cedula: pending.cedula,
        site: pending.site,
        consentReference: pending.consentReference ?? null,
      };
    },
    'confirmation.answer': async (message) => {
      const pending = await confirmations.take(message.requestId);
      if (!pending) return { ok: false, error: { code: 'confirmation_expired' } };
      if (!message.confirmed) return { ok: true, lookupId: null };
      const outcome = await poller.start({
        cedula: pending.cedula,
        consentReference: pending.consentReference,
        force: pending.force,
      });
      return { ok: true, lookupId: outcome.lookupId };
    },
    'picker.start': async (message, sender) => {
      let tab: { id: number; url: string; windowId?: number };
      if (sender.kind === 'overlay-frame') {
        const attached = await crmTabs.attach(sender);
        if (typeof attached === 'string') return notShownHere;
        tab = { id: attached.tabId, url: attached.site };
      } else {
        // The options' site list: the tab of that site the analyst was on last.
        const enabled = await grantedCrmPatterns((await loadSettings()).crmSites);
        const sites = (Array.isArray(message.sites) ? message.sites : []).filter((site) =>
          enabled.includes(site),
        );
        if (sites.length === 0) return refused('site_not_enabled');
        const open = (await browser.tabs.query({}))
          .filter(
            (candidate) =>
              candidate.id !== undefined && sites.some((site) => originMatches(candidate.url ?? '', site)),
          )
          .sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
        if (!open) return refused('picker_no_tab');
        tab = { id: open.id!, url: open.url!, windowId: open.windowId };
        await browser.tabs.update(tab.id, { active: true });
        if (tab.windowId !== undefined)
          await browser.windows.update(tab.windowId, { focused: true }).catch(() => undefined);
      }
      const site = patternOfOrigin(tab.url);
      if (!site) return refused('site_not_enabled');
      try {
        await picker.start(tab.id, site);
      } catch {
        // No content script in that tab: it was opened before the site was enabled.
        return refused('picker_page_gone');
      }
      return { ok: true };
    },
    'picker.attach': async (message, sender) => {
      const attached = await picker.attach(sender, String(message.secret));
      return typeof attached === 'string' ? refused(attached) : { ok: true, ...attached };
    },
    'picker.point': async (message, sender) => {
      const { x, y } = message;
      if (typeof x !== 'number' || typeof y !== 'number') return refused('invalid_request');
      const pointed = await picker.point(sender, x, y, message.choose === true);
      return typeof pointed === 'string' ? refused(pointed) : { ok: true, ...pointed };
    },
    'picker.finish': async (message, sender) => {
      // Decided here, as for lookups: where a page could cover the picker unseen, a save is confirmed
      // in Lupa's own window.
      const finished = await picker.finish(sender, message.save === true, PANEL_CONFIRMS_IN_WINDOW);
      if (typeof finished === 'string') return refused(finished);
      if (finished.confirming)
        await browser.windows.create({
          url: browser.runtime.getURL('/confirm-field.html'),
          type: 'popup',
          width: 460,
          height: 360,
          focused: true,
        });
      return { ok: true, ...finished };
    },
    'picker.pending': async () => {
      const pending = await picker.pending();
      return pending ? { ok: true, ...pending } : refused('picker_not_started');
    },
    'picker.confirm': async (message) => {
      const confirmed = await picker.confirm(message.save === true);
      return typeof confirmed === 'string' ? refused(confirmed) : { ok: true, ...confirmed };
    },
    'crm.field-locators': async (_message, sender) => ({
      ok: true,
      // The policy read last when the live one is slow (a browser just started): the page's first
      // scan waits for this answer.
      locators: locatorsForPage(await loadSettings({ policyCopyAfterMs: 100 }), sender.url),
    }),
    'lookup.delete': async (message) => {
      await (await relayClient()).deleteLookup(message.lookupId).catch((error: unknown) => {
        if (!(error instanceof RelayError && error.code === 'lookup_not_found')) throw error;
      });
      await (await openCache()).deleteLookup(message.lookupId);
      return { ok: true };
    },
    'cache.latest-of-cedula': async (message, sender) => {
      if (!(await crmTabs.mayUse(sender, message.cedula))) return notShownHere;
      return { ok: true, ...(await cacheOfCedula(message.cedula)) };
    },
    'overlay.attach': async (_message, sender) => {
      const attached = await crmTabs.attach(sender);
      if (typeof attached === 'string') return notShownHere;
      return { ok: true, ...attached, first: await cacheOfFirst(attached.cedulas) };
    },
    'crm.cedulas-shown': async (message, sender) => {
      const cedulas = message.cedulas.flatMap((value) => {
        const parsed = typeof value === 'string' ? parseCedula(value) : undefined;
        return parsed?.ok ? [parsed.cedula] : [];
      });
      const record = recordFactsFrom(message.record);
      // The cache is read while the tab's report is recorded: the panel waits for both.
      const [tab, first] = await Promise.all([
        crmTabs.reportShown(sender, cedulas, record),
        cacheOfFirst(cedulas),
      ]);
      if (!tab || sender.tabId === undefined) return notShownHere;
      const update: BackgroundToPages = {
        type: 'overlay.cedulas',
        tabId: sender.tabId,
        cedulas,
        first,
        record: tab.record,
      };
      await toPagesAndPanels(update, sender.tabId);
      return { ok: true };
    },
    'batch.create': async (message) => ({
      ok: true,
      ...(await (await relayClient()).createBatch(message.rows)),
    }),
    'batch.get': async (message) => {
      const client = await relayClient();
      const batch =
        message.sinceVersion === undefined
          ? await client.getBatch(message.batchId)
          : await client.getBatch(message.batchId, { sinceVersion: message.sinceVersion, waitSeconds: 20 });
      return { ok: true, ...batch };
    },
    'batch.cancel': async (message) => ({
      ok: true,
      ...(await (await relayClient()).cancelBatch(message.batchId)),
    }),
    'batch.results': async (message) => {
      const client = await relayClient();
      const reports: Record<string, { owners: Owner[]; employments: Employment[]; consultedAt: string }> = {};
      // A few at a time: a batch holds up to 1,000 reports, and the relay serves analysts meanwhile.
      const queue = [...message.lookupIds];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
            const report = await client.getReport(id);
            reports[id] = {
              owners: report.owners,
              employments: report.employments,
              consultedAt: report.lookup.updatedAt,
            };
          }
        }),
      );
      return { ok: true, cedulas: await client.batchCedulas(message.batchId), reports };
    },
    'history.clear': async () => {
      await poller.forgetAll();
      await (await openCache()).clearAll();
      return { ok: true };
    },
    'session.sign-in': async (message) => {
      const relayUrl = normalizeRelayUrl(message.relayUrl);
      if (!relayUrl) return { ok: false, error: { code: 'relay_not_configured' } };
      let session: StoredSession;
      try {
        session = await relaySession.signIn(relayUrl);
      } catch (error) {
        if (error instanceof SessionError)
          return { ok: false, error: { code: error.code, detail: error.message } };
        throw error;
      }
      const me = await createRelayClient({ baseUrl: relayUrl, token: session.accessToken }).me();
      // Signed in: the relay is this one, and a static token no longer stands in for the analyst.
      await saveSettings({ relayUrl, analystToken: '', signedInAs: me.name });
      await saveRelayPolicies(me.policies);
      return { ok: true, ...aboutAnalyst(me) };
    },
    'session.sign-out': async () => {
      await relaySession.signOut();
      await saveSettings({ signedInAs: null });
      return { ok: true };
    },
    'usage.get': async (message) => ({
      ok: true,
      ...(await (await relayClient()).usage(message.from, message.to)),
    }),
    'relay.test': async (message) => {
      if (message.relayUrl === undefined && message.analystToken === undefined) {
        const me = await (await relayClient()).me();
        await saveRelayPolicies(me.policies);
        return { ok: true, ...aboutAnalyst(me) };
      }
      // What the form holds, not yet saved: nothing learnt from it is kept.
      const baseUrl = normalizeRelayUrl(message.relayUrl ?? '');
      const token = (message.analystToken ?? '').trim();
      if (!baseUrl || token === '') return { ok: false, error: { code: 'relay_not_configured' } };
      const me = await createRelayClient({ baseUrl, token }).me();
      return { ok: true, ...aboutAnalyst(me) };
    },
  };

  browser.runtime.onMessage.addListener(
    (message: unknown, sender: Runtime.MessageSender, sendResponse: (reply: unknown) => void) => {
      const context = senderContext(sender, extension);
      if (!isAllowed(context.kind, message)) {
        sendResponse({ ok: false, error: { code: 'forbidden_message' } });
        return false;
      }
      dispatch(handlers, message, context).then(sendResponse, (error: unknown) =>
        sendResponse(failure(error)),
      );
      return true;
    },
  );

  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== POPUP_PORT || senderKindOf(port.sender ?? {}, extension) !== 'extension-page') return;
    openPopups.add(port);
    void browser.action.setBadgeText({ text: '' });
    port.onDisconnect.addListener(() => openPopups.delete(port));
  });

  browser.commands.onCommand.addListener((command) => {
    if (command !== FOCUS_PANEL_COMMAND) return;
    void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => {
      if (tab?.id === undefined) return;
      // The content script focuses the frame in the page; the frame puts focus on its heading.
      const toContent: BackgroundToContent = { type: 'overlay.focus' };
      const toFrame: BackgroundToPages = { type: 'overlay.focus', tabId: tab.id };
      // A tab without the content script (not a CRM page) has nobody to answer: nothing to do.
      return Promise.all([
        browser.tabs.sendMessage(tab.id, toContent, { frameId: 0 }).catch(() => undefined),
        toPagesAndPanels(toFrame, tab.id),
      ]);
    });
  });

  // A closed tab, or one loading another page, shows no cédulas until its content script says so.
  browser.tabs.onRemoved.addListener((tabId) => {
    void crmTabs.forget(tabId);
    void picker.forget(tabId);
  });
  // A picking session outlives a load (its frame goes with the page, and a later point says so).
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading') void crmTabs.forget(tabId);
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === POLL_ALARM) void poller.resumeAll();
    if (alarm.name === EXPIRE_ALARM) {
      void (async () => (await openCache()).expire((await loadSettings()).retentionDays))();
    }
  });
  // Created once: re-creating it at every worker start would keep pushing the expiry back.
  void browser.alarms.get(EXPIRE_ALARM).then((existing) => {
    if (!existing) return browser.alarms.create(EXPIRE_ALARM, { periodInMinutes: 60, delayInMinutes: 1 });
  });
  const syncSites = async () => {
    crmPatterns = undefined;
    await syncCrmContentScript((await loadSettings()).crmSites).catch((error: unknown) =>
      console.error('Lupa: CRM sites', error),
    );
  };
  // The popup follows the relay's reuse window; an unreachable relay leaves the last one known.
  const learnRelayPolicies = async () => {
    if (!isConfigured(await loadSettings())) return;
    await saveRelayPolicies((await (await relayClient()).me()).policies);
  };
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.settings) {
      void syncSites();
      void learnRelayPolicies().catch(() => undefined);
      const locators = (value: unknown) =>
        JSON.stringify((value as Partial<Settings> | undefined)?.fieldLocators);
      if (locators(changes.settings.oldValue) !== locators(changes.settings.newValue))
        void announceLocators().catch(() => undefined);
    }
  });
  // A policy that changes while the browser runs (IT enabled another CRM, or shipped a locator).
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area !== 'managed') return;
    void syncSites();
    void announceLocators().catch(() => undefined);
  });
  browser.permissions.onAdded.addListener(() => void syncSites());
  browser.permissions.onRemoved.addListener(() => void syncSites());
  void syncSites();
  void learnRelayPolicies().catch(() => undefined);
  void poller.resumeAll();
  return { poller };
}
