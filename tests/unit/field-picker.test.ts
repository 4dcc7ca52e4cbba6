import { describe, expect, it } from 'vitest';
import {
  createFieldPicker,
  PICK_WITHIN_MS,
  type PickerSession,
} from '../../utils/background/field-picker.js';
import type { PointReply, SenderContext } from '../../utils/messaging/protocol.js';
import type { FieldLocator } from '../../utils/overlay/field-locators.js';

const SITE = 'https://erp.example.co/*';
const cedulaHere: PointReply = {
  field: {
    rect: { left: 0, top: 0, width: 10, height: 10 },
    label: 'Id externo',
    value: '1.037.612.984',
    cedula: '1037612984',
    otherDocument: false,
  },
  locator: { label: 'Id externo', position: 0, labelTag: 'b' },
};
const phoneHere: PointReply = {
  field: {
    rect: { left: 0, top: 0, width: 10, height: 10 },
    label: 'Teléfono',
    value: '+57 300 123 4567',
    cedula: null,
    otherDocument: false,
  },
  locator: { label: 'Teléfono', position: 0 },
};
const nitHere: PointReply = {
  field: {
    rect: { left: 0, top: 0, width: 10, height: 10 },
    label: 'Documento',
    value: '900123456',
    cedula: '900123456',
    otherDocument: true,
  },
  locator: { label: 'Documento', position: 1 },
};

function setUp() {
  let session: PickerSession | undefined;
  let clock = 1_000_000;
  let under: PointReply = cedulaHere;
  const opened: Array<[number, string]> = [];
  const closed: number[] = [];
  const kept: Array<[string, FieldLocator]> = [];
  const picker = createFieldPicker({
    store: {
      load: async () => session,
      save: async (next) => {
        session = next;
      },
    },
    content: {
      open: async (tabId, secret) => void opened.push([tabId, secret]),
      point: async () => under,
      close: async (tabId) => void closed.push(tabId),
    },
    keep: async (site, locator) => void kept.push([site, locator]),
    now: () => clock,
    newSecret: () => `secret-${opened.length}`,
  });
  return {
    picker,
    opened,
    closed,
    kept,
    pointAt: (reply: PointReply) => {
      under = reply;
    },
    later: (ms: number) => {
      clock += ms;
    },
  };
}
const frame = (tabId: number, frameId: number): SenderContext => ({ kind: 'picker-frame', tabId, frameId });

describe('the field picker’s session', () => {
  it('hears only the frame that shows the secret, and only that one once attached', async () => {
    const { picker, opened } = setUp();
    await picker.start(7, SITE);
    const [[, secret]] = opened as [[number, string]];
    // A frame the page made of the picker's page has no secret.
    expect(await picker.attach(frame(7, 4), 'guessed')).toBe('picker_not_started');
    expect(await picker.point(frame(7, 4), 1, 1, false)).toBe('picker_not_started');
    expect(await picker.attach(frame(7, 3), secret)).toEqual({ site: SITE });
    // Even with the secret, a second frame is not heard.
    expect(await picker.attach(frame(7, 4), secret)).toBe('picker_not_started');
    expect(await picker.point(frame(7, 4), 1, 1, true)).toBe('picker_not_started');
    expect(await picker.finish(frame(7, 4), true)).toBe('picker_not_started');
    // Nor the same frame id in another tab.
    expect(await picker.point(frame(8, 3), 1, 1, false)).toBe('picker_not_started');
    expect(await picker.point(frame(7, 3), 1, 1, false)).toEqual({ field: cedulaHere!.field });
  });

  it('keeps the chosen field for the site, and closes the frame', async () => {
    const { picker, opened, kept, closed } = setUp();
    await picker.start(7, SITE);
    await picker.attach(frame(7, 3), opened[0]![1]);
    await picker.point(frame(7, 3), 5, 5, true);
    expect(await picker.finish(frame(7, 3), true)).toEqual({ saved: true, confirming: false });
    expect(kept).toEqual([[SITE, cedulaHere!.locator]]);
    expect(closed).toEqual([7]);
    expect(await picker.point(frame(7, 3), 5, 5, false)).toBe('picker_not_started');
  });

  it.each([
    ['a value that is no cédula', phoneHere],
    ['another document’s number', nitHere],
    ['nothing', null],
  ])('will not keep %s', async (_case, reply) => {
    const { picker, opened, kept, pointAt } = setUp();
    await picker.start(7, SITE);
    await picker.attach(frame(7, 3), opened[0]![1]);
    pointAt(reply);
    await picker.point(frame(7, 3), 5, 5, true);
    expect(await picker.finish(frame(7, 3), true)).toBe('picker_nothing_chosen');
    expect(kept).toEqual([]);
  });

  it('forgets the choice when the analyst points at something else', async () => {
    const { picker, opened, kept, pointAt } = setUp();
    await picker.start(7, SITE);
    await picker.attach(frame(7, 3), opened[0]![1]);
    await picker.point(frame(7, 3), 5, 5, true);
    pointAt(phoneHere);
    await picker.point(frame(7, 3), 9, 9, true);
    expect(await picker.finish(frame(7, 3), true)).toBe('picker_nothing_chosen');
    expect(kept).toEqual([]);
  });

  it('ends a session left open, one started in another tab, or one whose tab moved on', async () => {
    const expired = setUp();
    await expired.picker.start(7, SITE);
    await expired.picker.attach(frame(7, 3), expired.opened[0]![1]);
    expired.later(PICK_WITHIN_MS + 1);
    expect(await expired.picker.point(frame(7, 3), 1, 1, false)).toBe('picker_not_started');

    const moved = setUp();
    await moved.picker.start(7, SITE);
    await moved.picker.start(9, SITE);
    expect(moved.closed).toEqual([7]);
    expect(await moved.picker.attach(frame(7, 3), moved.opened[0]![1])).toBe('picker_not_started');
    expect(await moved.picker.attach(frame(9, 3), moved.opened[1]![1])).toEqual({ site: SITE });
    await moved.picker.forget(9);
    expect(await moved.picker.point(frame(9, 3), 1, 1, false)).toBe('picker_not_started');
  });

  it('where a cover cannot be seen, keeps the field only once the analyst confirms it in Lupa’s window', async () => {
    const { picker, opened, kept, closed } = setUp();
    await picker.start(7, SITE);
    await picker.attach(frame(7, 3), opened[0]![1]);
    await picker.point(frame(7, 3), 5, 5, true);
    expect(await picker.finish(frame(7, 3), true, true)).toEqual({ saved: false, confirming: true });
    // The picker's frame is gone and hears nothing more; nothing is kept yet.
    expect(closed).toEqual([7]);
    expect(kept).toEqual([]);
    expect(await picker.point(frame(7, 3), 5, 5, true)).toBe('picker_not_started');
    expect(await picker.pending()).toEqual({ site: SITE, label: 'Id externo', cedulaMasked: '******2984' });
    expect(await picker.confirm(true)).toEqual({ saved: true });
    expect(kept).toEqual([[SITE, cedulaHere!.locator]]);
    expect(await picker.pending()).toBeUndefined();
    expect(await picker.confirm(true)).toBe('picker_not_started');
  });

  it('declined in the window, keeps nothing', async () => {
    const { picker, opened, kept } = setUp();
    await picker.start(7, SITE);
    await picker.attach(frame(7, 3), opened[0]![1]);
    await picker.point(frame(7, 3), 5, 5, true);
    await picker.finish(frame(7, 3), true, true);
    expect(await picker.confirm(false)).toEqual({ saved: false });
    expect(kept).toEqual([]);
  });

  it('closes the frame that asks to leave even when its session has ended', async () => {
    const { picker, opened, closed, later } = setUp();
    await picker.start(7, SITE);
    await picker.attach(frame(7, 3), opened[0]![1]);
    later(PICK_WITHIN_MS + 1);
    expect(await picker.finish(frame(7, 3), false)).toBe('picker_not_started');
    expect(closed).toEqual([7]);
  });

  it('does not let a choice still in flight bring back a session the analyst ended', async () => {
    let session: PickerSession | undefined;
    let answer: (reply: PointReply) => void = () => {};
    const kept: unknown[] = [];
    const picker = createFieldPicker({
      store: {
        load: async () => session,
        save: async (next) => {
          session = next;
        },
      },
      content: {
        open: async () => undefined,
        point: () => new Promise<PointReply>((resolve) => (answer = resolve)),
        close: async () => undefined,
      },
      keep: async (...args) => void kept.push(args),
      newSecret: () => 's',
    });
    await picker.start(7, SITE);
    await picker.attach(frame(7, 3), 's');
    const choosing = picker.point(frame(7, 3), 5, 5, true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await picker.finish(frame(7, 3), false)).toEqual({ saved: false, confirming: false });
    answer(cedulaHere);
    expect(await choosing).toBe('picker_not_started');
    expect(session).toBeUndefined();
    expect(kept).toEqual([]);
  });

  it('says the page is gone when its content script no longer answers', async () => {
    let session: PickerSession | undefined;
    const picker = createFieldPicker({
      store: {
        load: async () => session,
        save: async (next) => {
          session = next;
        },
      },
      content: {
        open: async () => undefined,
        point: async () => {
          throw new Error('Could not establish connection. Receiving end does not exist.');
        },
        close: async () => undefined,
      },
      keep: async () => undefined,
      newSecret: () => 's',
    });
    await picker.start(7, SITE);
    await picker.attach(frame(7, 3), 's');
    expect(await picker.point(frame(7, 3), 1, 1, false)).toBe('picker_page_gone');
  });
});
